import DealerCore
import Foundation
import Testing

@Suite("Accreditation decisions, payment history, expiry reminders and the compliance KPI")
struct AccreditationRecordTests {
    static func date(_ text: String) -> CivilDate { CivilDate(parsing: text)! }

    @Test
    func monthsAreAddedToTheSameDayOrTheMonthsLast() {
        #expect(Self.date("2026-01-31").adding(months: 1) == Self.date("2026-02-28"))
        #expect(Self.date("2027-01-31").adding(months: 13) == Self.date("2028-02-29"))
        #expect(Self.date("2026-11-25").adding(months: 12) == Self.date("2027-11-25"))
        #expect(Self.date("2026-03-31").adding(months: -1) == Self.date("2026-02-28"))
        #expect(Self.date("2026-01-15").adding(months: -12) == Self.date("2025-01-15"))
    }

    @Test
    func aDaysStartIsLocalMidnight() {
        let moscow = TimeZone(identifier: "Europe/Moscow")!
        #expect(Self.date("2026-11-25").start(in: moscow) == Date(timeIntervalSince1970: 1_795_554_000))  // 2026-11-24T21:00Z
        #expect(CivilDate(Self.date("2026-11-25").start(in: moscow), in: moscow) == Self.date("2026-11-25"))
        let newYork = TimeZone(identifier: "America/New_York")!
        // The day summer time starts: midnight is still standard time.
        #expect(Self.date("2026-03-08").start(in: newYork) == Date(timeIntervalSince1970: 1_772_946_000))
    }

    @Test
    func overdueHistoryReplaysFirstInFirstOut() {
        let d = Self.date
        let debts = [
            OverdueHistory.Debt(due: d("2026-02-10"), date: d("2026-01-10"), document: "S1", amountMinor: 100_00),
            OverdueHistory.Debt(due: d("2026-03-10"), date: d("2026-02-10"), document: "S2", amountMinor: 100_00),
        ]
        // S1 is paid 5 days late; the second payment covers S2 40 days after its due date.
        let credits = [
            OverdueHistory.Credit(date: d("2026-02-15"), amountMinor: 100_00),
            OverdueHistory.Credit(date: d("2026-04-19"), amountMinor: 100_00),
        ]
        #expect(OverdueHistory.maxOverdueDays(debts: debts, credits: credits, windowStart: d("2025-11-25"), today: d("2026-11-25")) == 40)
        // A window starting after S2 was settled sees nothing overdue.
        #expect(OverdueHistory.maxOverdueDays(debts: debts, credits: credits, windowStart: d("2026-05-01"), today: d("2026-11-25")) == 0)
        // A partial payment leaves S2 open: it counts until today.
        let partial = [credits[0], OverdueHistory.Credit(date: d("2026-04-19"), amountMinor: 99_99)]
        #expect(OverdueHistory.maxOverdueDays(debts: debts, credits: partial, windowStart: d("2026-05-01"), today: d("2026-05-10")) == 61)
        // Paid in advance: never overdue. No debts at all: no data.
        #expect(
            OverdueHistory.maxOverdueDays(
                debts: debts, credits: [OverdueHistory.Credit(date: d("2026-01-01"), amountMinor: 500_00)], windowStart: d("2025-11-25"),
                today: d("2026-11-25")) == 0)
        #expect(OverdueHistory.maxOverdueDays(debts: [], credits: credits, windowStart: d("2025-11-25"), today: d("2026-11-25")) == nil)
        // Allocation follows due dates, not the order documents were listed in.
        #expect(
            OverdueHistory.maxOverdueDays(
                debts: debts.reversed(), credits: credits, windowStart: d("2025-11-25"), today: d("2026-11-25")) == 40)
    }

    @Test
    func remindersGoOutOncePerThresholdAndOnceAtExpiry() {
        let validUntil = Self.date("2026-12-31")
        func due(_ today: String, sent: Set<Int> = []) -> ExpiryReminders.Due? {
            ExpiryReminders.due(lastValidDay: validUntil, today: Self.date(today), thresholds: [30, 7], sent: sent)
        }
        #expect(due("2026-11-30") == nil)
        #expect(due("2026-12-01") == ExpiryReminders.Due(threshold: 30, settles: [30], daysLeft: 30))
        #expect(due("2026-12-02", sent: [30]) == nil)
        // A job that did not run for weeks sends the nearer reminder once and settles the farther one.
        #expect(due("2026-12-26") == ExpiryReminders.Due(threshold: 7, settles: [7, 30], daysLeft: 5))
        #expect(due("2026-12-26", sent: [30]) == ExpiryReminders.Due(threshold: 7, settles: [7], daysLeft: 5))
        #expect(due("2026-12-31", sent: [7, 30]) == nil)
        #expect(due("2027-01-01", sent: [7, 30]) == ExpiryReminders.Due(threshold: 0, settles: [0], daysLeft: -1))
        #expect(due("2027-01-02", sent: [0, 7, 30]) == nil)
    }

    @Test
    func anOverrideNeedsAFinalDecisionAndAReason() throws {
        let override = try AccreditationOverride.validate(decision: "accredited", reason: "  стратегический партнёр  ")
        #expect(override == AccreditationOverride(decision: .accredited, reason: "стратегический партнёр"))
        #expect(throws: ValidationError.self) { try AccreditationOverride.validate(decision: "needs_review", reason: "x") }
        do {
            _ = try AccreditationOverride.validate(decision: nil, reason: " ")
            Issue.record("accepted an override without decision or reason")
        } catch {
            #expect(error.issues.map(\.field) == ["override.decision", "override.reason"])
        }
    }

    @Test
    func decisionsMoveTheDealerAlongItsLifecycle() {
        #expect(AccreditationEvaluation.Decision.accredited.nextStatus(from: .applicant) == .accredited)
        #expect(AccreditationEvaluation.Decision.accredited.nextStatus(from: .suspended) == .accredited)
        #expect(AccreditationEvaluation.Decision.accredited.nextStatus(from: .accredited) == .accredited)
        #expect(AccreditationEvaluation.Decision.rejected.nextStatus(from: .applicant) == .prospect)
        #expect(AccreditationEvaluation.Decision.rejected.nextStatus(from: .accredited) == .accredited)
        #expect(AccreditationEvaluation.Decision.needsReview.nextStatus(from: .applicant) == .applicant)
        #expect(AccreditationEvaluation.Decision.accredited.nextStatus(from: .prospect) == nil)
        #expect(AccreditationEvaluation.Decision.accredited.nextStatus(from: .terminated) == nil)
        for status in DealerStatus.allCases where status != .prospect && status != .terminated {
            for decision in AccreditationEvaluation.Decision.allCases {
                let next = decision.nextStatus(from: status)!
                #expect(next == status || status.canMove(to: next), "\(decision) from \(status) leaves the lifecycle")
            }
        }
    }

    @Test
    func complianceCountsTheFirstAccreditationOfThePeriodAndTheFunnel() {
        let d = Self.date
        let (a, b, c, e) = (UUID(), UUID(), UUID(), UUID())
        let dealers = [
            ProfileCompliance.Dealer(id: a, group: "anna", appliedOn: d("2026-10-01")),
            ProfileCompliance.Dealer(id: b, group: "anna", appliedOn: d("2026-10-05")),
            ProfileCompliance.Dealer(id: c, group: "boris", appliedOn: d("2026-10-10")),
            ProfileCompliance.Dealer(id: e, group: nil, appliedOn: d("2025-01-01")),
        ]
        let decisions = [
            // a: met the profile, 10 days after applying.
            ProfileCompliance.Decision(
                dealerID: a, decision: .accredited, evaluatedDecision: .accredited, overridden: false, decidedOn: d("2026-10-11")),
            // b: needed review, then the head of sales overrode: 20 days.
            ProfileCompliance.Decision(
                dealerID: b, decision: .needsReview, evaluatedDecision: .needsReview, overridden: false, decidedOn: d("2026-10-12")),
            ProfileCompliance.Decision(
                dealerID: b, decision: .accredited, evaluatedDecision: .needsReview, overridden: true, decidedOn: d("2026-10-25")),
            // c: rejected.
            ProfileCompliance.Decision(dealerID: c, decision: .rejected, evaluatedDecision: .rejected, overridden: false, decidedOn: d("2026-10-20")),
            // e: applied long ago, renewed in the period.
            ProfileCompliance.Decision(
                dealerID: e, decision: .accredited, evaluatedDecision: .accredited, overridden: false, decidedOn: d("2026-10-30")),
        ]
        let (groups, total) = ProfileCompliance.figures(dealers: dealers, decisions: decisions, from: d("2026-10-01"), to: d("2026-10-31"))
        #expect(total.accredited == 3 && total.metProfile == 2 && total.overridden == 1)
        #expect(total.compliancePercent == Decimal(string: "66.7"))
        #expect(total.applied == 3 && total.appliedAccredited == 2 && total.appliedRejected == 1 && total.appliedPending == 0)
        #expect(total.medianDaysToAccreditation == 15)
        #expect(groups["anna"]?.compliancePercent == 50 && groups["anna"]?.conversionPercent == 100)
        #expect(groups["boris"]?.accredited == 0 && groups["boris"]?.compliancePercent == nil && groups["boris"]?.appliedRejected == 1)
        // A shorter period: only a is accredited in it; the funnel follows the applicants to date.
        let early = ProfileCompliance.figures(dealers: dealers, decisions: decisions, from: d("2026-10-01"), to: d("2026-10-11")).total
        #expect(early.accredited == 1 && early.applied == 3 && early.appliedAccredited == 2 && early.appliedRejected == 1)
    }
}
