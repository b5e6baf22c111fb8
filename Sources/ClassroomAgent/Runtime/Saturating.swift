extension Int64 {
    /// `self + other`, held at `Int64.max`/`Int64.min` instead of trapping on overflow.
    ///
    /// - Important: for figures that come from outside the agent (another program's output, a file):
    ///   a wrong total is reported, a trap would take the daemon down.
    func saturatingAdd(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }
}
