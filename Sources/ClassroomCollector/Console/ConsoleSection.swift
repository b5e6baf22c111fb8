/// The console's top-level sections, in navigation order, and who sees each in the navigation
/// (巡课 `patrol`: observers, bureau admins and school admins — ``OperatorPrincipal/lessonWatchers``).
public enum ConsoleSection: String, Sendable, CaseIterable {
    case overview, schools, devices, alerts, spotchecks, recordings, patrol, observation, admin

    /// The section's page.
    public var path: String {
        switch self {
        case .overview: "/"
        case .schools: "/schools"
        case .devices: "/devices"
        case .alerts: "/alerts"
        case .spotchecks: "/spotchecks"
        case .recordings: "/recordings"
        case .patrol: "/patrol"
        case .observation: "/observation"
        case .admin: "/admin"
        }
    }

    /// The key of its label (`nav_…`).
    var labelKey: String { "nav_" + rawValue }

    /// Roles that see the section in the navigation (the page itself checks again).
    public var roles: Set<OperatorRole> {
        switch self {
        // A county admin's pages: the shared queries scope them to its county's schools.
        case .overview, .spotchecks, .alerts, .schools: OperatorRole.readers
        case .devices: DevicesPage.roles
        case .recordings, .patrol: OperatorPrincipal.lessonWatchers
        case .admin: [.bureauAdmin, .schoolAdmin, .auditor]
        case .observation: ObservationQueries.roles
        }
    }
}
