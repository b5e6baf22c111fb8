import Testing

@testable import ClassroomCore

@Suite struct SpotCheckDrawTests {
    @Test func twentyTeachersFromTwentyDistinctSchoolsEveryWeek() throws {
        let (_, _, snapshot) = SpotCheckFixtures.sample(schools: 60, seed: 5, allRooms: true)
        #expect(snapshot.schoolCount == 60)
        for r in SpotCheckFixtures.simulate(snapshot, weeks: 12) {
            #expect(r.orders.count == 20)
            #expect(Set(r.orders.map(\.schoolID)).count == 20, "\(r.week)")
            #expect(Set(r.orders.map(\.teacherID)).count == 20)
            #expect(r.shortfall == 0)
        }
    }

    @Test func noTeacherTwiceInARoundAndRoundsRollOver() throws {
        // 25 schools of 2–6 teachers: rounds end with leftovers, so several rounds pass in 40 weeks.
        let snapshot = try SpotCheckFixtures.snapshot(teachersPerSchool: (0..<25).map { 2 + $0 % 5 })
        let results = SpotCheckFixtures.simulate(snapshot, weeks: 40)
        var drawnInRound: [Int: Set<String>] = [:]
        for r in results {
            #expect(r.orders.count == 20)
            #expect(Set(r.orders.map(\.schoolID)).count == 20)
            for o in r.orders {
                #expect(
                    drawnInRound[o.round, default: []].insert(o.teacherID).inserted, "\(o.teacherID) twice in round \(o.round)")
            }
            // The rotation after a week is exactly who its round has drawn so far.
            #expect(r.roundsAfter.drawn == drawnInRound[r.roundsAfter.round])
        }
        let rounds = Set(results.flatMap { $0.orders.map(\.round) })
        #expect(rounds.count >= 3)
        #expect(rounds == Set(1...rounds.max()!), "rounds are consecutive")
        // A new round starts only when the old one could not fill the week: then every school with a
        // teacher left in the old round had one called in it that week.
        var before: [Int: Set<String>] = [:]
        for r in results {
            let oldRound = r.orders.first?.round ?? r.roundsAfter.round
            if r.newRoundStarted {
                let left = snapshot.teachers.filter { !(before[oldRound] ?? []).contains($0.id) }
                let calledInOld = Set(r.orders.filter { $0.round == oldRound }.map(\.schoolID))
                #expect(Set(left.map(\.schoolID)) == calledInOld)
                #expect(calledInOld.count < 20)
            }
            for o in r.orders { before[o.round, default: []].insert(o.teacherID) }
        }
    }

    @Test func roundRollsOverMidWeekExcludingThoseAlreadyChosen() throws {
        // School 0 has three teachers, schools 1 and 2 one each; three are called per week.
        let snapshot = try SpotCheckFixtures.snapshot(teachersPerSchool: [3, 1, 1])
        let results = SpotCheckFixtures.simulate(snapshot, weeks: 3, count: 3)
        let first = results[0]
        #expect(first.orders.map(\.round) == [1, 1, 1])
        #expect(!first.newRoundStarted)
        // Week 2: only school 0 has teachers left in round 1, so one of them is called in round 1
        // and the week is filled from round 2, which excludes that teacher.
        let second = results[1]
        #expect(second.newRoundStarted)
        #expect(second.orders.count == 3)
        #expect(second.orders[0].round == 1 && second.orders[0].schoolID == "S0")
        #expect(second.orders[1...].map(\.round) == [2, 2])
        #expect(Set(second.orders[1...].map(\.schoolID)) == ["S1", "S2"])
        #expect(second.roundsAfter == SpotCheckRoundState(round: 2, drawn: ["T1-0", "T2-0"]))
        let school0 = Set(results[0...1].flatMap(\.orders).filter { $0.schoolID == "S0" }.map(\.teacherID))
        #expect(school0.count == 2, "round 1 calls a different teacher of school 0 each week")
        // Week 3: round 2 has only school 0 left (schools 1 and 2 were drawn in it), so round 3 starts.
        #expect(results[2].orders.map(\.round) == [2, 3, 3])
        #expect(results[2].orders[0].schoolID == "S0")
    }

    @Test func everyTeacherIsReachedBeforeAnySecondDrawWhenSchoolsAreEven() throws {
        // 20 schools of 4 teachers and 20 per week: each round takes exactly four weeks.
        let snapshot = try SpotCheckFixtures.snapshot(teachersPerSchool: Array(repeating: 4, count: 20))
        let results = SpotCheckFixtures.simulate(snapshot, weeks: 52)
        var seen: Set<String> = []
        for (w, r) in results.enumerated() {
            let teachers = Set(r.orders.map(\.teacherID))
            if w % 4 == 0 { seen = [] }
            #expect(seen.isDisjoint(with: teachers), "week \(w)")
            seen.formUnion(teachers)
            if w % 4 == 3 { #expect(seen.count == 80) }
            #expect(r.orders.allSatisfy { $0.round == w / 4 + 1 })
        }
    }

    @Test func shortfallWhenFewerSchoolsThanCount() throws {
        let snapshot = try SpotCheckFixtures.snapshot(teachersPerSchool: [2, 1, 3, 1, 1, 2, 1])
        let results = SpotCheckFixtures.simulate(snapshot, weeks: 4)
        for r in results {
            #expect(r.orders.count == 7)
            #expect(r.shortfall == 13)
            #expect(Set(r.orders.map(\.schoolID)).count == 7)
        }
        // Week 1 calls each school once; in week 2 only schools 0, 2 and 5 have teachers left in
        // round 1, so round 2 starts mid-week for the other four.
        #expect(!results[0].newRoundStarted)
        #expect(results[1].newRoundStarted)
        #expect(results[1].orders.map(\.round) == [1, 1, 1, 2, 2, 2, 2])
        #expect(Set(results[1].orders.prefix(3).map(\.schoolID)) == ["S0", "S2", "S5"])

        let empty = SpotCheckDraw.run(
            SpotCheckDrawInput(week: SpotCheckFixtures.week, beacon: "x", snapshot: .empty, rounds: .initial))
        #expect(empty.orders.isEmpty && empty.shortfall == 20 && !empty.newRoundStarted)
        #expect(empty.roundsAfter == .initial)
    }

    @Test func sameInputsSameDrawAnotherBeaconOrWeekAnotherDraw() throws {
        let (_, _, snapshot) = SpotCheckFixtures.sample(schools: 40, seed: 2, allRooms: false)
        let input = SpotCheckDrawInput(
            week: SpotCheckFixtures.week, beacon: "2026-11-23 双色球 03 07 12 19 25 31 + 09", snapshot: snapshot, rounds: .initial)
        let a = SpotCheckDraw.run(input)
        #expect(a == SpotCheckDraw.run(input))
        var other = input
        other.beacon += " "
        #expect(SpotCheckDraw.run(other).orders != a.orders)
        #expect(SpotCheckDraw.run(other).seed != a.seed)
        other = input
        other.week = input.week.next
        #expect(SpotCheckDraw.run(other).orders != a.orders)
        other = input
        other.rounds = SpotCheckRoundState(round: 1, drawn: [snapshot.teachers[0].id])
        #expect(SpotCheckDraw.run(other).seed != a.seed)
    }

    @Test func everyOrderIsAnEligibleLessonOfThatTeacherInTheWeek() throws {
        let (registry, rooms, snapshot) = SpotCheckFixtures.sample(schools: 50, seed: 8, allRooms: false)
        #expect(!rooms.isEmpty && rooms.allSatisfy { id in registry.rooms.first { $0.id == id }?.kind == .recording })
        let teachers = registry.teachersByID()
        let lessons = Set(
            registry.lessons.map { "\($0.teacherID) \($0.roomID) \($0.weekday) \($0.start) \($0.end) \($0.subject)" })
        for r in SpotCheckFixtures.simulate(snapshot, weeks: 10) {
            for o in r.orders {
                #expect(rooms.contains(o.roomID), "\(o.roomID) is not a recording classroom")
                #expect(teachers[o.teacherID]?.schoolID == o.schoolID)
                #expect(lessons.contains("\(o.teacherID) \(o.roomID) \(o.weekday) \(o.start) \(o.end) \(o.subject)"))
            }
        }
        // The eligible teachers are exactly those with a lesson in a recording classroom.
        let expected = Set(registry.lessons.filter { rooms.contains($0.roomID) }.map(\.teacherID))
        #expect(Set(snapshot.teachers.map(\.id)) == expected)
    }
}
