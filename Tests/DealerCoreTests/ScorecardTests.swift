import DealerCore
import Foundation
import Testing

@Suite("Scorecards: scoring curves, points, the bonus and what lifts it")
struct ScorecardTests {
    static func scheme(knockOut: KPIScheme.KnockOut? = nil) -> KPIScheme {
        KPIScheme(
            role: .existingClients, version: "t", title: "Тест", bonus: .init(base: 50_000, knockOut: knockOut),
            kpis: [
                .init(kpi: .salesVolume, weight: 50, target: 1_000_000, threshold: 70, cap: 120),
                .init(kpi: .overdueShare, weight: 30, target: 10, threshold: nil, cap: 150),
                .init(kpi: .rhythmShare, weight: 20, target: 80, threshold: 50, cap: nil),
            ])
    }

    static func d(_ text: String) -> Decimal { Decimal(string: text) ?? -1 }

    @Test func pointsFollowTheCurveAndTheBonusScalesWithThem() {
        // Sales 900 000 of 1 000 000: 90 % × 50 = 45 points. Overdue 5 % against 10 %: 200 %, capped
        // at 150: 45 points. Rhythm 3 of 5 dealers (60 % of 80 = 75 %): 15 points. 105 points.
        let facts: [KPI: KPIFact] = [
            .salesVolume: KPIFact(900_000), .overdueShare: KPIFact(5), .rhythmShare: KPIFact(60, count: 3, of: 5),
        ]
        let card = Scorecard.compute(scheme: Self.scheme(), facts: facts)
        #expect(card.lines.map(\.achievementPercent) == [90, 200, 75])
        #expect(card.lines.map(\.scorePercent) == [90, 150, 75])
        #expect(card.lines.map(\.points) == [45, 45, 15])
        #expect(card.points == 105 && card.bonusMinor == 5_250_000, "50 000 × 105 % = 52 500,00")

        // Under the threshold a KPI scores nothing; no fact is no points; an own target replaces the scheme's.
        let weak = Scorecard.compute(
            scheme: Self.scheme(), facts: [.salesVolume: KPIFact(699_999), .overdueShare: KPIFact(0)], targets: [.rhythmShare: 50])
        #expect(weak.lines[0].achievementPercent == 70 && weak.lines[0].points == 35, "699 999 rounds to 70.0 %: at the threshold")
        #expect(weak.lines[1].scorePercent == 150, "no overdue at all reaches the cap")
        #expect(weak.lines[2].fact.value == nil && weak.lines[2].points == 0 && weak.lines[2].target == 50 && weak.lines[2].targetIsOwn)
        let under = Scorecard.compute(scheme: Self.scheme(), facts: [.salesVolume: KPIFact(690_000)])
        #expect(under.lines[0].achievementPercent == 69 && under.lines[0].points == 0)
    }

    @Test func theBonusIsExactToTheKopeck() {
        let card = Scorecard.compute(scheme: Self.scheme(), facts: [.salesVolume: KPIFact(333_000)])
        #expect(card.points == 0, "33.3 % is under the 70 % threshold")
        let odd = KPIScheme(
            role: .service, version: "t", title: "т", bonus: .init(base: Self.d("33333.33"), knockOut: nil),
            kpis: [.init(kpi: .actTimeliness, weight: 100, target: 100, threshold: nil, cap: nil)])
        let third = Scorecard.compute(scheme: odd, facts: [.actTimeliness: KPIFact(Self.d("33.3"))])
        #expect(third.points == Self.d("33.3") && third.bonusMinor == 1_110_000, "33 333,33 × 33.3 % = 11 099,99889 → 11 100,00")
    }

    @Test func aKnockOutHoldsTheBonusBackAndReachingItIsTheBestLift() {
        let gate = KPIScheme.KnockOut(kpi: .withinLimitShare, minimum: 70, maximum: nil)
        let facts: [KPI: KPIFact] = [
            .salesVolume: KPIFact(1_000_000), .overdueShare: KPIFact(10), .rhythmShare: KPIFact(40, count: 2, of: 5),
            .withinLimitShare: KPIFact(50, count: 2, of: 4),
        ]
        let card = Scorecard.compute(scheme: Self.scheme(knockOut: gate), facts: facts)
        // 50 + 30 points, and rhythm at half its target, just on the 50 % threshold: 10 more.
        #expect(card.knockedOut && card.bonusMinor == 0 && card.points == 90)
        let lifts = card.lifts(facts: facts)
        // 3 of 4 dealers within the limit (75 %) opens the 45 000,00 of 90 points; nothing else
        // counts while the knock-out holds.
        #expect(lifts == [Scorecard.Lift(kpi: .withinLimitShare, to: 75, moreDealers: 1, gainMinor: 4_500_000)])
        #expect(ScorecardText.lift(lifts[0]) == "Дилеры в пределах лимита: ещё 1 дилер — +45\u{00A0}000,00 ₽")

        let open = Scorecard.compute(scheme: Self.scheme(), facts: facts)
        let rhythm = open.lifts(facts: facts).first { $0.kpi == .rhythmShare }
        // 4 of 5 on rhythm reaches 80 %: 10 → 20 points, +5 000,00.
        #expect(rhythm == Scorecard.Lift(kpi: .rhythmShare, to: 80, moreDealers: 2, gainMinor: 500_000))
        #expect(open.lifts(facts: facts).allSatisfy { $0.kpi != .salesVolume }, "a KPI at its target has nothing to lift")
    }

    @Test func aSchemeNamesEveryProblem() {
        var scheme = Self.scheme()
        #expect(scheme.problems.isEmpty)
        scheme.kpis[0].weight = 40
        scheme.kpis[1].threshold = 200
        scheme.kpis.append(.init(kpi: .rhythmShare, weight: 10, target: 0, threshold: nil, cap: 400))
        scheme.bonus.base = Self.d("100.001")
        let problems = scheme.problems.joined(separator: "\n")
        #expect(problems.contains("the weights add up to 100, not 100") == false)
        #expect(problems.contains("kpis[1] (overdue_share): threshold must be 0 or more and under cap"))
        #expect(problems.contains("kpis[3] (rhythm_share): listed twice"))
        #expect(problems.contains("kpis[3] (rhythm_share): target must be above 0"))
        #expect(problems.contains("kpis[3] (rhythm_share): cap must be 100…300 (%)"))
        #expect(problems.contains("bonus.base must be roubles"))
        scheme.kpis.removeLast()
        #expect(scheme.problems.contains("kpis: the weights add up to 90, not 100"))
    }

    @Test func aManagerWithoutDealersEarnsNothingForAnEmptyPortfolio() throws {
        let anna = Manager(id: UUID(), name: "Анна", email: "a@example.ru", role: .existingClients, createdAt: Date(), updatedAt: Date())
        let period = try #require(PlanPeriod(parsing: "2026-11"))
        let facts = KPIFacts.compute(for: anna, dealers: [], period: period, salesManagers: 1)
        #expect(facts[.overdueShare]?.value == nil && facts[.withinLimitShare]?.value == nil && facts[.salesVolume]?.value == 0)
        var paidUp = DealerKPIFigures(dealerID: UUID(), managerID: anna.id, serviceSpecialistID: nil, status: .accredited)
        paidUp.salesMinor = 100_000
        #expect(
            KPIFacts.compute(for: anna, dealers: [paidUp], period: period, salesManagers: 1)[.overdueShare]?.value == 0, "nothing owed, none overdue")
        let card = Scorecard.compute(scheme: Self.scheme(), facts: facts)
        #expect(card.points == 0 && card.bonusMinor == 0)
    }

    @Test func sumsStayExactPastTheIntegerRange() {
        #expect(KPIFacts.exactSum([Int64.max, Int64.max, -1, 5]) == Decimal(string: "184467440737095516.18"))
        #expect(KPIFacts.exactSum([150, -50]) == 1 && KPIFacts.exactSum([]) == 0)
    }

    @Test func russianText() {
        #expect(ScorecardText.dealers(1) == "1 дилер" && ScorecardText.dealers(3) == "3 дилера" && ScorecardText.dealers(11) == "11 дилеров")
        #expect(ScorecardText.dealers(21) == "21 дилер" && ScorecardText.dealers(25) == "25 дилеров")
        #expect(ScorecardText.value(1_234_567.5, unit: .money) == "1\u{00A0}234\u{00A0}567,50 ₽")
        #expect(ScorecardText.value(Self.d("87.5"), unit: .percent) == "87,5 %" && ScorecardText.value(nil, unit: .count) == "—")
    }
}
