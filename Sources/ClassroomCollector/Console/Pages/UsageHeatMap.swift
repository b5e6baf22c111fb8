import ClassroomCore
import Foundation

/// The school's usage heat-map: for each weekday × lesson period of its timetable, the share of
/// the period's minutes in which the display of an enrolled device was on, over the last 7 days.
///
/// Read from the usage minutes the agents reported (``CollectorStore/reduceUsageMinutes``), on the
/// collector's clock, mapped to the county's local time.
struct UsageHeatMap: Sendable {
    struct Cell: Sendable {
        var text: String
        var level: Int
        var title: String
    }
    struct Row: Sendable {
        var weekday: String
        var cells: [Cell]
    }

    var periods: [String]
    var rows: [Row]
    var legend: String

    static let windowDays = 7

    static func build(
        store: any CollectorStore, zone: CountyTimeZone, lessons: [Lesson], roomOfDevice: [String: String], end: Int64,
        text t: ConsoleText
    ) async throws -> UsageHeatMap? {
        var periods = Set(lessons.map { PeriodKey(start: $0.start.minutes, end: $0.end.minutes) }).sorted { $0.start < $1.start }
        if periods.isEmpty { return nil }
        // Overlapping periods (different rooms' timetables) keep the earliest; the map is per period slot.
        var kept: [PeriodKey] = []
        for p in periods where kept.last.map({ p.start >= $0.end }) ?? true { kept.append(p) }
        periods = kept
        let devices = roomOfDevice
        let keys = periods
        let from = end - Int64(windowDays) * 86_400_000
        // [weekday-1][period] = minutes with the display on
        let on = try await store.reduceUsageMinutes(
            from: from, through: end, into: [[Int]](repeating: [Int](repeating: 0, count: keys.count), count: 7)
        ) { grid, m in
            guard devices[m.deviceID] != nil, m.displayOn else { return }
            let local = zone.localTime(of: Date(timeIntervalSince1970: Double(m.minuteStart + m.at - m.agentAt) / 1000))
            let minute = local.time.minutes
            guard let p = keys.firstIndex(where: { minute >= $0.start && minute < $0.end }) else { return }
            grid[local.date.weekday - 1][p] += 1
        }
        let deviceCount = max(1, Set(devices.keys).count)
        var rows: [Row] = []
        for weekday in 1...7 {
            let cells = keys.enumerated().map { (p, key) -> Cell in
                let possible = Double((key.end - key.start) * deviceCount)
                let share = min(1, Double(on[weekday - 1][p]) / possible)
                let text = on[weekday - 1][p] == 0 ? "·" : "\(Int((share * 100).rounded()))%"
                return Cell(
                    text: text, level: on[weekday - 1][p] == 0 ? 0 : 1 + min(4, Int(share * 5)),
                    title: "\(t.t("weekday_\(weekday)")) \(key.label): \(on[weekday - 1][p]) \(t.t("heat_minutes"))")
            }
            rows.append(Row(weekday: t.t("weekday_\(weekday)"), cells: cells))
        }
        return UsageHeatMap(periods: keys.map(\.label), rows: rows, legend: t.t("heat_legend", String(deviceCount)))
    }

    struct PeriodKey: Hashable, Sendable {
        var start: Int
        var end: Int
        var label: String { "\(TimeOfDay(minutes: start))–\(TimeOfDay(minutes: end))" }
    }
}
