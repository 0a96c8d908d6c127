import Testing

@testable import TerminalCanvas

@Test func fakeDeviceReturnsScriptedKeysThenTheExhaustedKey() {
    let device = FakeTerminalDevice(
        size: Size(width: 80, height: 24),
        events: [.key(.character("a")), .resize(Size(width: 100, height: 30)), .key(.escape)])
    #expect(device.nextKey(timeout: .milliseconds(16)) == .character("a"))
    #expect(device.size == Size(width: 80, height: 24))
    #expect(device.nextKey(timeout: .milliseconds(16)) == .resize)
    #expect(device.size == Size(width: 100, height: 30))
    #expect(device.nextKey(timeout: .zero) == .escape)
    #expect(device.nextKey(timeout: .zero) == Key.none)
    #expect(device.requestedTimeouts == [.milliseconds(16), .milliseconds(16), .zero, .zero])
}

@Test func fakeDeviceRecordsPresentedFrames() {
    let device = FakeTerminalDevice(
        size: Size(width: 4, height: 1), keys: [.ctrlC], whenExhausted: .character("q"))
    #expect(device.lastFrameLines == [])
    var frame = CellBuffer(size: device.size)
    frame.write("hi", at: .zero)
    device.present(frame)
    frame.write("yo", at: .zero)
    device.present(frame)
    #expect(device.presented.count == 2)
    #expect(device.presented.first?.lines == ["hi  "])
    #expect(device.lastFrameLines == ["yo  "])
    #expect(device.nextKey(timeout: .zero) == .ctrlC)
    #expect(device.nextKey(timeout: .zero) == .character("q"))
}

@Test func fakeDeviceWorksThroughTheProtocol() {
    let device: any TerminalDevice = FakeTerminalDevice(size: Size(width: 2, height: 2), keys: [.tab])
    #expect(device.nextKey(timeout: .zero) == .tab)
    device.present(CellBuffer(size: device.size))
    #expect((device as? FakeTerminalDevice)?.presented.count == 1)
}
