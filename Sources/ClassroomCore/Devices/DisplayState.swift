/// Whether the room's display is showing something, from what sysfs says (no polling: the agent
/// re-reads the inventory on udev change events).
extension HardwareInventory {
    /// True when at least one display is on:
    /// - an external connector (HDMI, DP, VGA, …) that is `connected`, not `disabled`, with DPMS `On` (or not reported);
    /// - a built-in panel (eDP, LVDS, DSI) under the same rules whose backlights are powered
    ///   (`bl_power` 0, FB_BLANK_UNBLANK) — a panel with its backlight off shows nothing.
    public var displayOn: Bool {
        let backlightOn = backlights.isEmpty || backlights.contains { ($0.power ?? 0) == 0 }
        return displays.contains { display in
            guard display.isActive else { return false }
            return display.isBuiltIn ? backlightOn : true
        }
    }
}

extension Display {
    /// Built-in panels: embedded DisplayPort, LVDS and MIPI DSI connectors.
    public var isBuiltIn: Bool {
        connector.hasPrefix("eDP") || connector.hasPrefix("LVDS") || connector.hasPrefix("DSI")
    }

    /// Connected (or `unknown` on a built-in panel, which some drivers never report), enabled, and DPMS on.
    public var isActive: Bool {
        let present = status == .connected || (status == .unknown && isBuiltIn)
        let powered = dpms == nil || dpms == "On"
        return present && enabled != false && powered
    }
}
