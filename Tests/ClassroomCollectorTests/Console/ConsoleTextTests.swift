import Testing

@testable import ClassroomCollector

/// The label tables: one per language, the same keys in each.
@Suite struct ConsoleTextTests {
    @Test func bothLanguagesHaveTheSameKeys() {
        let zh = Set(ConsoleText.zhCN.keys)
        let en = Set(ConsoleText.en.keys)
        #expect(zh.subtracting(en).sorted() == [], "only in zh-CN")
        #expect(en.subtracting(zh).sorted() == [], "only in en")
        #expect(!zh.isEmpty)
    }

    @Test func noKeyIsInTwoTablesOfOneLanguage() {
        for tables in [ConsoleText.zhCNTables, ConsoleText.enTables] {
            var seen: [String: Int] = [:]
            for (i, table) in tables.enumerated() {
                for key in table.keys {
                    #expect(seen[key] == nil, "'\(key)' is in tables \(seen[key] ?? -1) and \(i)")
                    seen[key] = i
                }
            }
        }
    }

    @Test func noLabelIsEmptyAndPlaceholdersMatch() {
        for (key, zh) in ConsoleText.zhCN {
            let en = ConsoleText.en[key] ?? ""
            #expect(!zh.isEmpty && !en.isEmpty, "empty label '\(key)'")
            for i in 0..<4 { #expect(zh.contains("{\(i)}") == en.contains("{\(i)}"), "placeholder {\(i)} of '\(key)'") }
        }
    }

    @Test func lookupFillsPlaceholdersAndShowsAnUnknownKey() {
        let text = ConsoleText(language: .zhCN)
        #expect(text.t("login_locked", "15").contains("15 分钟"))
        #expect(text.t("no_such_key") == "no_such_key")
        #expect(ConsoleText(language: .en).t("nav_overview") == "Overview")
    }

    @Test func languageCodesAreRead() {
        #expect(ConsoleLanguage(code: "EN") == .en)
        #expect(ConsoleLanguage(code: "zh_CN") == .zhCN)
        #expect(ConsoleLanguage(code: "fr") == nil)
    }
}
