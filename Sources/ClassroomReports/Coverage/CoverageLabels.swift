import ClassroomCore
import Foundation

/// Words and number formats of the human-readable coverage outputs, in Chinese or English.
public struct CoverageLabels: Sendable {
    public var lang: ReportLanguage

    public init(lang: ReportLanguage) { self.lang = lang }

    public func t(_ zh: String, _ en: String) -> String { lang == .zh ? zh : en }

    public func name(_ key: CoverageIndicatorKey) -> String { lang == .zh ? key.chineseName : key.englishName }
    public func stage(_ stage: IndicatorStage) -> String { lang == .zh ? stage.chineseName : stage.englishName }
    public func basis(_ basis: CoverageBasis) -> String {
        switch basis {
        case .verified: t("终端核验", "verified by agents")
        case .declared: t("学校申报", "declared by schools")
        }
    }

    public func item(_ item: String) -> String {
        switch item {
        case "smart_blackboard": t("智慧黑板（台）", "smart blackboards")
        case "digital_classroom_kit": t("标准数字教室设备（套）", "digital classroom kits")
        case "recording_classroom": t("互动直录播教室（间）", "recording classrooms")
        case "multimedia_classroom": t("网络多媒体教室（间）", "multimedia classrooms")
        case "network_connection": t("教育专网接入（校）", "network connections")
        default: item
        }
    }

    /// A value in the indicator's unit: a percentage for shares, two decimals for rates.
    public func value(_ v: Double?, _ key: CoverageIndicatorKey) -> String {
        guard let v else { return t("未测", "not measured") }
        return key.isShare ? String(format: "%.1f%%", v * 100) : String(format: "%.2f", v)
    }

    /// A county or school figure: "none assessed" when no school is assessed for it.
    public func value(of i: IndicatorValue) -> String {
        i.assessed || i.value != nil ? value(i.value, i.key) : t("无参评学校", "none assessed")
    }

    /// On the verified basis: the declared figure, marked `≠` when it differs from the verified one.
    public func declared(_ i: IndicatorValue) -> String {
        guard let d = i.declaredValue else { return "—" }
        return (i.differsFromDeclared == true ? "≠ " : "") + value(d, i.key)
    }

    public func cv(_ v: Double?) -> String { v.map { String(format: "%.3f", $0) } ?? "—" }

    public func met(_ m: Bool?) -> String {
        switch m {
        case true?: t("达标", "met")
        case false?: t("未达标", "not met")
        case nil: "—"
        }
    }

    public func status(_ s: SchoolRuleResult.Status) -> String {
        switch s {
        case .meets: t("达标", "meets")
        case .fails: t("不达标", "fails")
        case .undetermined: t("待定（缺少指标数据）", "undetermined (indicators without data)")
        }
    }

    /// An indicator of the school rule by its name in the profile (a ``CoverageIndicatorKey`` raw value).
    public func ruleIndicator(_ name: String) -> String { CoverageIndicatorKey(rawValue: name).map(self.name) ?? name }

    /// What keeps a school's rule from `meets`: the indicators under the floor and those without data.
    public func ruleDetail(_ r: SchoolRuleResult) -> String {
        var parts = [
            t(
                "达标 \(r.met)/\(r.required) 项（已测 \(r.measured) 项）",
                "\(r.met) met of \(r.required) required (\(r.measured) measured)")
        ]
        if !r.belowRest.isEmpty {
            parts.append(t("低于85%：", "below 85 %: ") + r.belowRest.map(ruleIndicator).joined(separator: t("、", ", ")))
        }
        if !r.notMeasured.isEmpty {
            parts.append(t("缺数据：", "no data: ") + r.notMeasured.map(ruleIndicator).joined(separator: t("、", ", ")))
        }
        return parts.joined(separator: t("；", "; "))
    }
}

extension CoverageReport {
    /// The county indicators that have a target in the profile (the ones a report is about).
    public var targetedCountyIndicators: [IndicatorValue] { county.indicators.filter { $0.target != nil } }
}
