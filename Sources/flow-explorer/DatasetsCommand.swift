import ArgumentParser
import FlowCore

struct DatasetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasets", abstract: "List the built-in 2D datasets.")

    func run() throws {
        for toy in ToyDataset.allCases {
            try Console.line(toy.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0) + toy.summary)
        }
        try Console.line(
            "FILE.csv".padding(toLength: 14, withPad: " ", startingAt: 0)
                + "your own points: two numeric columns x,y, header optional, at most \(PointsCSV.maximumRows) rows")
    }
}
