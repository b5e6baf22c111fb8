import Hummingbird

/// The content pages — overview `/`, schools, devices, spot-checks — registered by the console.
///
/// Each page reads through the same query functions as `/api/v1` (``CoverageQueries``,
/// ``DeviceQueries``, ``SpotCheckQueries``), so authorization and queries exist once; a page only
/// turns their answer into a view model and a template.
enum ConsolePages {
    static func register(on router: RouterGroup<CollectorRequestContext>, console: ConsoleEnvironment) {
        OverviewPage(console: console).register(on: router)
        SchoolsPage(console: console).register(on: router)
        DevicesPage(console: console).register(on: router)
        DeviceDetailPage(console: console).register(on: router)
        SpotChecksPage(console: console).register(on: router)
        LessonWatchPage(console: console).register(on: router)
        RecordingPage(console: console).register(on: router)
        RecordingMedia(console: console).register(on: router)
        RecordingsPage(console: console).register(on: router)
        PatrolPage(console: console).register(on: router)
        EvaluationPage(console: console).register(on: router)
        NoticePage(console: console).register(on: router)
        ObservationPage(console: console).register(on: router)
        AlertsPage(console: console).register(on: router)
    }
}
