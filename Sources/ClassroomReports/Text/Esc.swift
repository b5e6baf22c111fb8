import ClassroomCore

/// Shorthand for ``ClassroomCore/HTMLEscape/escape(_:)`` inside this module's renderers.
func esc(_ s: String) -> String { HTMLEscape.escape(s) }
