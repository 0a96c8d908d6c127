import FlowCore
import TerminalCanvas
import Testing

@testable import ExplorerApp

/// View 7: the (s, t) triangle of the model's flow-map error against the exact map.
@Suite struct FlowMapViewTests {
    func flowMapState(method: Method = .shortcut) -> AppState {
        var state = stateWithPictures(method: method)
        _ = press(&state, "7")
        return state
    }

    @Test("7 opens the flow-map view, which the worker is told to compute against the exact flow")
    func sevenOpensTheView() {
        var state = stateWithPictures()
        #expect(press(&state, "7").isEmpty)
        #expect(
            state.view == .flowMap && WorkerRequest(state).needs == .model(extras: [.flowMap]) && ViewKind.flowMap.needsExactFlow)
        #expect(ViewKind.flowMap.name == "Flow map" && ViewKind.flowMap.slug == "flow-map")
    }

    @Test("the flow-map view shades the triangle's cells, outlines the highlighted one and reads out its error")
    func shadesOutlinesAndReadsOut() throws {
        var state = flowMapState()
        state.palette = .color256
        let map = try #require(state.snapshot?.visuals?.flowMap)
        #expect(map.cells.count == 36 && map.paths == GroundTruth.paths)
        let figure = FigureBuilder(state: state).build()
        let corner = try #require(map.cell(from: 0, to: 8))
        #expect(figure.caption.hasPrefix("cell s=0.000, t=1.000: error \(format(corner.error, 4))"), "\(figure.caption)")
        let buffer = view(state)
        let greys = Set(HeatShades.greys.map { Color.indexed($0) })
        let shaded = (0..<buffer.height).flatMap { y in (0..<buffer.width).map { x in buffer[x, y] } }
            .filter { greys.contains($0.style.background) }
        #expect(shaded.count > 36, "every cell of the triangle takes terminal cells")
        // The lightest shade is the largest error; the (0, 1) cell of an untrained net is not it alone.
        let heat = FlowMapView.heat(map)
        #expect(heat.scale == Float(map.cells.map(\.error).max()!))
        #expect(heat.values.filter(\.isNaN).count == 64 - 36, "no shade where s >= t")
        let svg = try #require(SVGExport.document(state))
        #expect(svg.contains("<g class=\"heat\"") && svg.contains("id=\"cell\""))
        #expect(SVGExport.fileName(state).hasPrefix("flow-explorer-flow-map-shortcut-8gaussians-"))
    }

    @Test("each heat cell sits at its (t, s) and holds that cell's error")
    func heatCellsSitAtTheirTimes() throws {
        let map = try #require(flowMapState().snapshot?.visuals?.flowMap)
        let heat = FlowMapView.heat(map)
        for cell in map.cells {
            let centre = heat.centre(column: cell.end - 1, row: cell.start)
            #expect(abs(centre.x - map.t(cell)) < 1e-12 && abs(centre.y - map.s(cell)) < 1e-12)
            #expect(heat.values[cell.start * heat.columns + cell.end - 1] == Float(cell.error))
        }
    }

    @Test("arrows and h/j/k/l move the highlighted cell along t and s, and it stays on the triangle")
    func arrowsMoveTheCell() {
        var state = flowMapState()
        #expect((state.flowMapStart, state.flowMapEnd) == (0, 8))
        _ = update(&state, .key(.right))
        #expect((state.flowMapStart, state.flowMapEnd) == (0, 8), "t stops at 1")
        _ = update(&state, .key(.left))
        _ = press(&state, "h")
        #expect((state.flowMapStart, state.flowMapEnd) == (0, 6))
        _ = update(&state, .key(.down))
        #expect(state.flowMapStart == 0, "s stops at 0")
        for _ in 0..<10 { _ = press(&state, "k") }
        #expect((state.flowMapStart, state.flowMapEnd) == (5, 6), "s stays below t")
        _ = press(&state, "l")
        _ = press(&state, "j")
        #expect((state.flowMapStart, state.flowMapEnd) == (4, 7))
        #expect(!state.showHelp, "h moves the cell here")
        #expect(FigureBuilder(state: state).build().caption.hasPrefix("cell s=0.500, t=0.875: error "))
        state.view = .samples
        _ = update(&state, .key(.left))
        #expect((state.flowMapStart, state.flowMapEnd) == (4, 7), "elsewhere the arrows leave it")
    }

    @Test("a consistency model's cells all end at t = 1, and the highlighted cell stays on them")
    func consistencyModelsEndAtOne() throws {
        var state = flowMapState(method: .ct)
        state.flowMapStart = 3
        state.flowMapEnd = 5
        let trainer = try Trainer(config: TrainingConfig(method: .ct), dataset: .toy(.eightGaussians))
        var snapshot = try #require(state.snapshot)
        snapshot.method = .ct
        snapshot.visuals?.flowMap = sampleTruth.truth.flowMapError(Model(trainer: trainer))
        _ = update(&state, .snapshot(snapshot))
        #expect(state.snapshot?.visuals?.flowMap?.cells.count == 8)
        #expect((state.flowMapStart, state.flowMapEnd) == (3, 8), "moved onto t = 1")
        _ = update(&state, .key(.left))
        #expect(state.flowMapEnd == 8, "no cell before t = 1")
        _ = update(&state, .key(.up))
        #expect(state.flowMapStart == 4)
        #expect(FigureBuilder(state: state).build().caption.contains("a consistency model maps to t = 1 only"))
    }

    @Test("the tab bar keeps a key for every view at the lesson's 100 columns and at the minimum size")
    func tabBarKeepsEveryKey() {
        for width in [100, AppState.minimumSize.width] {
            var state = stateWithPictures(Size(width: width, height: 30))
            state.view = .flowMap
            let bar = view(state).lines[0]
            for kind in ViewKind.allCases { #expect(bar.contains(" \(kind.rawValue + 1) "), "\(width): \(bar)") }
            #expect(bar.contains("7 Flow map") && bar.contains("? help"), "\(width): \(bar)")
        }
        let wide = view(stateWithPictures(Size(width: 160, height: 40))).lines[0]
        #expect(wide.contains("flow-explorer") && wide.contains("6 Truth   7 Flow map"), "\(wide)")
    }
}

extension FlowMapViewTests {
    @Test("the help overlay's render command draws the flow-map view with its highlighted cell")
    func recipeNamesTheCell() {
        var state = flowMapState()
        #expect(RunRecipe(state).render.hasSuffix("--view flow-map --steps 4 --seed 0 --count 1024"))
        _ = update(&state, .key(.left))
        _ = update(&state, .key(.up))
        #expect(RunRecipe(state).render.hasSuffix("--view flow-map --steps 4 --seed 0 --count 1024 --cell 0.125,0.875"))
    }
}
