import Logging
import Testing

@testable import ClassroomCollector

/// A background pass cut short by the collector's shutdown is no error in the journal; any other
/// failure is.
@Suite struct BackgroundPassLogTests {
    struct Broken: Error, CustomStringConvertible { var description: String { "database is locked" } }

    @Test func aFailureIsAnErrorAndAShutdownIsANotice() async {
        let log = InMemoryLog()
        let logger = log.logger
        logger.backgroundPassFailed("alert evaluation", error: Broken())
        // The service's task cancelled (graceful shutdown): whatever the pass threw on the way out.
        let task = Task {
            while !Task.isCancelled { await Task.yield() }
            logger.backgroundPassFailed("alert evaluation", error: Broken())
        }
        task.cancel()
        await task.value
        logger.backgroundPassFailed("event retention", error: CancellationError(), detail: "CancellationError()")
        #expect(
            log.lines == [
                "error alert evaluation failed error=database is locked",
                "notice alert evaluation interrupted: the collector is stopping error=database is locked",
                "notice event retention interrupted: the collector is stopping error=CancellationError()",
            ])
    }
}
