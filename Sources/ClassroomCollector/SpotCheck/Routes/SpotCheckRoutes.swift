import Hummingbird

/// Registers every spot-check route (operator API and media hooks) on the collector's router.
enum SpotCheckRoutes {
    static func register<Context: RequestContext>(
        on router: Router<Context>, store: any CollectorStore, commands: CommandDispatcher,
        configuration: SpotCheckConfiguration, now: @escaping @Sendable () -> Int64
    ) {
        let dispatcher = SpotCheckDispatcher(store: store, commands: commands, configuration: configuration)
        SpotCheckAPI<Context>(store: store, dispatcher: dispatcher, configuration: configuration, now: now).register(on: router)
        MediaHooksAPI<Context>(store: store, configuration: configuration, now: now).register(on: router)
    }
}
