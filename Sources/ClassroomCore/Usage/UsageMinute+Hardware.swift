extension UsageMinute {
    /// Assembles one usage minute from what the hardware adapters measured during it.
    ///
    /// - Parameters:
    ///   - minuteStart: start of the minute, milliseconds since 1970 on the agent's clock.
    ///   - inventory: the inventory at the end of the minute (display state and devices present).
    ///   - touchEvents: touches counted on the touchscreens (``TouchCounter/takeCount()``).
    ///   - speech: the microphone's totals for the minute; nil when no microphone was metered.
    ///   - frameSeconds: length of one speech frame (``SpeechActivityConfiguration/frameSeconds``).
    public init(
        minuteStart: Int64, inventory: HardwareInventory, touchEvents: Int, speech: SpeechActivityTotals?,
        frameSeconds: Double = SpeechActivityConfiguration().frameSeconds
    ) {
        self.init(
            minuteStart: minuteStart, displayOn: inventory.displayOn, touchEvents: max(0, touchEvents),
            speechSeconds: speech?.speechSeconds(frameSeconds: frameSeconds) ?? 0, meanDBFS: speech?.meanDBFS,
            peakDBFS: speech?.peakDBFS, clippingRatio: speech?.clippingRatio ?? 0, devicesPresent: DevicesPresent(inventory))
    }
}
