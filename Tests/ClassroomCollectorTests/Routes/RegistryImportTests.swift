import ClassroomCollector
import ClassroomCore
import ClassroomSamples
import Foundation
import HummingbirdTesting
import Testing

@Suite("Registry import over the API")
struct RegistryImportTests {
    static func body(_ files: [String: [UInt8]]) -> [String: Any] {
        ["files": files.mapValues { Data($0).base64EncodedString() }]
    }

    @Test(
        "a registry with problems is refused whole with FILE:LINE problems; a valid one replaces it",
        arguments: StoreKind.allCases)
    func allOrNothing(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let before = try await store.registry()
                var files = TestRegistry.files()
                files["rooms.csv"] = Array(
                    (TestRegistry.rooms + "\nR4,S9,幽灵教室,classroom,primary,,\nR5,S1,坏教室,palace,primary,,").utf8)
                let refused = try await client.call(.put, "/api/v1/registry", token: h.adminToken, json: Self.body(files))
                #expect(refused.status == .unprocessableContent)
                #expect(refused.error?.error == "invalid_registry")
                let problems = refused.json["problems"] as? [[String: Any]] ?? []
                // The same problems as `classroomctl registry check` (the same loader).
                var expected: [RegistryProblem] = []
                do { _ = try RegistryLoader.load(files) } catch let error as RegistryProblems { expected = error.problems }
                #expect(problems.compactMap { $0["message"] as? String } == expected.map(\.message))
                #expect(problems.count >= 2)
                #expect(problems.allSatisfy { $0["file"] as? String == "rooms.csv" })
                #expect(Set(problems.compactMap { $0["line"] as? Int }) == [5, 6])
                #expect(try await store.registry() == before)

                // A valid, larger county replaces the registry and reports its figures.
                let county = SampleCounty(schools: 5, seed: 7).generate()
                let accepted = try await client.call(
                    .put, "/api/v1/registry", token: h.adminToken, json: Self.body(RegistryCSVWriter.files(county)))
                #expect(accepted.status == .ok, "\(accepted.text)")
                let summary = try #require(accepted.json["summary"] as? [String: Any])
                #expect(summary["schools"] as? Int == 5)
                #expect(try await store.registry().schools.count == 5)
                let shown = try await client.call(.get, "/api/v1/registry", token: h.adminToken)
                #expect(shown.json["teachers"] as? Int == county.teachers.count)
            }
        }
    }
}
