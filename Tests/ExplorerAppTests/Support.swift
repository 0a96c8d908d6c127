import Foundation

func Thread_sleep(_ seconds: Double) { Thread.sleep(forTimeInterval: seconds) }
