import ArgumentParser
import ClassroomCollector
import Logging
import ServiceLifecycle

/// The recording options of `classroom-collector serve` (``ClassroomCollector/RecordingConfiguration``).
struct RecordingOptions: ParsableArguments {
    @Option(
        help: """
            nginx-rtmp's record_path (the FLVs it reports on on_record_done; the collector converts and then removes \
            them, so it needs write access there).
            """)
    var recordingIngestDir = RecordingConfiguration.defaultIngestDirectory

    @Option(help: "Where the MP4 recordings are kept. Default: recordings/ in $STATE_DIRECTORY, or in the current folder.")
    var recordingsDir: String?

    @Option(help: "Days a recording is kept before it is deleted.")
    var recordingRetentionDays = 30

    @Option(
        help: """
            Keep at least this much free on the recordings' file system, deleting the oldest recordings first: \
            a share such as 10% or a size such as 20G, 500M, 1048576.
            """)
    var recordingMinFree = "10%"

    @Option(help: "The ffmpeg that converts recordings (a path, or a name looked up in PATH); ffprobe is taken beside it.")
    var ffmpeg = "ffmpeg"

    func configuration() throws -> RecordingConfiguration {
        guard (1...3650).contains(recordingRetentionDays) else {
            throw ValidationError("--recording-retention-days must be 1…3650, not \(recordingRetentionDays)")
        }
        guard let minimumFree = RecordingMinimumFree(parsing: recordingMinFree) else {
            throw ValidationError(
                "--recording-min-free must be a share such as 10% or a size such as 20G, not '\(recordingMinFree)'")
        }
        guard recordingIngestDir.hasPrefix("/") else {
            throw ValidationError("--recording-ingest-dir must be an absolute path, not '\(recordingIngestDir)'")
        }
        let ffprobe = ffmpeg.contains("/") ? String(ffmpeg[...ffmpeg.lastIndex(of: "/")!]) + "ffprobe" : "ffprobe"
        return RecordingConfiguration(
            ingestDirectory: recordingIngestDir, directory: recordingsDir ?? RecordingConfiguration.defaultDirectory(),
            retentionDays: recordingRetentionDays, minimumFree: minimumFree, ffmpeg: ffmpeg, ffprobe: ffprobe)
    }

    /// The converter and the janitor.
    static func services(
        store: any CollectorStore, configuration: RecordingConfiguration, queue: RecordingQueue, logger: Logger
    ) -> [any Service] {
        [
            RecordingConversionService(
                store: store, converter: FFmpegRecordingConverter(ffmpeg: configuration.ffmpeg, ffprobe: configuration.ffprobe),
                configuration: configuration, queue: queue, logger: logger),
            RecordingJanitorService(
                janitor: RecordingJanitor(store: store, configuration: configuration, space: StatvfsFreeSpace(), logger: logger)),
        ]
    }
}
