// Written by scripts/reproduce (scripts/pattern.py --write); do not edit by hand.

/// The README's 20,000-iteration results (`scripts/reproduce`: seed 0, one thread, 4,096 samples):
/// the SW2 of each method's main sampler (fm Euler K=128, the others one step), per dataset, to
/// three decimals as the README prints them. `TimeToQuality.target` is 1.25 times these.
public enum ReferenceQuality {
    public static let sw2: [String: [Method: Double]] = [
        "8gaussians": [.fm: 0.071, .shortcut: 0.096, .cd: 0.073, .ct: 0.077, .meanflow: 0.102],
        "moons": [.fm: 0.048, .shortcut: 0.067, .cd: 0.070, .ct: 0.076, .meanflow: 0.080],
        "checkerboard": [.fm: 0.084, .shortcut: 0.116, .cd: 0.098, .ct: 0.098, .meanflow: 0.114],
        "2spirals": [.fm: 0.065, .shortcut: 0.072, .cd: 0.083, .ct: 0.079, .meanflow: 0.097],
        "rings": [.fm: 0.053, .shortcut: 0.062, .cd: 0.063, .ct: 0.062, .meanflow: 0.069],
        "circles": [.fm: 0.049, .shortcut: 0.064, .cd: 0.055, .ct: 0.054, .meanflow: 0.098],
        "pinwheel": [.fm: 0.077, .shortcut: 0.097, .cd: 0.099, .ct: 0.105, .meanflow: 0.098],
        "swissroll": [.fm: 0.052, .shortcut: 0.051, .cd: 0.076, .ct: 0.052, .meanflow: 0.078],
        "line": [.fm: 0.064, .shortcut: 0.065, .cd: 0.082, .ct: 0.120, .meanflow: 0.068],
        "cos": [.fm: 0.083, .shortcut: 0.085, .cd: 0.120, .ct: 0.230, .meanflow: 0.117],
    ]
}
