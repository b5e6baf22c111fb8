import Hummingbird

/// The content pages — overview `/`, schools, devices, spot-checks — registered by the console.
///
/// - Note: filled by the content pages' work (see `Console/README.md`); until then only `/` exists,
///   and it shows the signed-in viewer an empty overview.
enum ConsolePages {
    static func register(on router: RouterGroup<CollectorRequestContext>, console: ConsoleEnvironment) {
        router.get("/") { request, _ in
            let viewer = try await console.auth.requireViewer(request)
            return try await console.renderer.page(
                request, viewer: viewer, title: viewer.text.t("nav_overview"), section: .overview,
                bodyHTML: "<h1>\(viewer.text.t("nav_overview"))</h1>")
        }
    }
}
