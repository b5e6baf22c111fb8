import ClassroomCore
import Logging

extension AgentHardware {
    /// The real adapters of this machine: libudev inventory and hotplug, display state from DRM and
    /// backlight, evdev touches, ALSA speech metering on the configured `microphone`, and for
    /// spot-checks the ALSA chime and the stream's microphone tap.
    ///
    /// - Important: nothing is opened here; each adapter starts its own thread on first use, and a
    ///   missing device is logged and reported as no signal, never a failure of the daemon.
    public static func linux(config: AgentConfig, logger: Logger) -> AgentHardware {
        let inventory = LinuxInventorySource(logger: logger)
        return AgentHardware(
            display: LinuxDisplaySignal(inventory: inventory, logger: logger),
            touch: LinuxTouchSignal(inventory: inventory, logger: logger),
            speech: LinuxSpeechSignal(microphone: config.microphone, inventory: inventory, logger: logger),
            inventory: inventory, chime: LinuxChimePlayer(), streamMicrophone: LinuxStreamMicrophone())
    }
}
