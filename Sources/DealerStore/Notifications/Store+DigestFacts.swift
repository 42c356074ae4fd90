import DealerCore
import Foundation
import SQLKit

/// What the digests read: the settings their lists are judged by.
public struct DigestSettings: Sendable {
    public var rhythm: RhythmSettings
    public var plans: PlanBehindSettings
    public var deadlines: ActDeadlines
    public var currency: Currency
    /// Accreditations and documents running out within this many days are listed.
    public var expiringWithinDays: Int

    public init(
        rhythm: RhythmSettings = RhythmSettings(), plans: PlanBehindSettings = PlanBehindSettings(), deadlines: ActDeadlines = ActDeadlines(),
        currency: Currency = .rub, expiringWithinDays: Int = 30
    ) {
        self.rhythm = rhythm
        self.plans = plans
        self.deadlines = deadlines
        self.currency = currency
        self.expiringWithinDays = expiringWithinDays
    }
}

extension Store {
    /// The department as the digests of `today` see it, read with the same queries as the
    /// receivables list, the rhythm list, the plan report and the expiry watch, so a digest says
    /// what those say. `since` is the previous digest's time: overdue alerts after it are news.
    public func digestFacts(today: CivilDate, since: Date, settings: DigestSettings) async throws -> DigestFacts {
        let zone = calendar.timeZone
        var facts = try await database.read { sql in
            var facts = DigestFacts(today: today, currency: settings.currency)
            for row in try await sql.raw("SELECT id, code, name, manager_id, service_specialist_id FROM dealers WHERE status <> 'terminated'")
                .all()
            {
                // A dealer row this version cannot read is left out of the lists, not the digest.
                guard let id = try? row.decode(column: "id", as: UUID.self) else { continue }
                facts.dealers[id] = DigestDealer(
                    id: id, code: (try? row.decode(column: "code", as: String.self)) ?? "",
                    name: (try? row.decode(column: "name", as: String.self)) ?? "",
                    managerID: try? row.decode(column: "manager_id", as: UUID?.self),
                    serviceSpecialistID: try? row.decode(column: "service_specialist_id", as: UUID?.self))
            }
            for row in try await sql.raw(
                "SELECT dealer_id, data FROM events WHERE type = \(bind: EventType.creditOverdue.rawValue) AND occurred_at >= \(bind: since) AND dealer_id IS NOT NULL"
            ).all() {
                guard let dealer = try? row.decode(column: "dealer_id", as: UUID.self),
                    let data = try? DealerJSON.decoder().decode(JSONValue.self, from: Data(row.decode(column: "data", as: String.self).utf8)),
                    let change = try? JSONValueDecoder().decode(CreditStateChanged.self, from: data), !change.reminder
                else { continue }
                facts.newlyOverdue.insert(dealer)
            }
            let cutoff = today.adding(days: -settings.deadlines.answerWithinDays).start(in: zone)
            for row in try await sql.raw(
                """
                SELECT id, number, dealer_id, period_to, generated_at FROM reconciliation_acts
                WHERE status IN ('generated', 'sent') AND generated_at < \(bind: cutoff)
                """
            ).all() {
                let generated = CivilDate(try row.instant("generated_at"), in: zone)
                facts.unansweredActs.append(
                    DigestAct(
                        actID: try row.decode(column: "id", as: UUID.self), dealerID: try row.decode(column: "dealer_id", as: UUID.self),
                        number: try row.decode(column: "number", as: String.self), periodTo: try row.civilDate("period_to"),
                        generatedOn: generated, daysWaiting: today.days(since: generated)))
            }
            let horizon = today.adding(days: settings.expiringWithinDays)
            let current = try await Self.currentAccreditations(on: sql)
            for accreditation in current where accreditation.validUntil >= today && accreditation.validUntil <= horizon {
                facts.expiring.append(
                    DigestExpiry(
                        dealerID: accreditation.dealerID, documentKind: nil, lastValidDay: accreditation.validUntil,
                        daysLeft: accreditation.validUntil.days(since: today)))
            }
            for document in try await Self.latestDocumentExpiries(of: current, on: sql)
            where document.expires >= today && document.expires <= horizon {
                facts.expiring.append(
                    DigestExpiry(
                        dealerID: document.dealerID, documentKind: document.kind, lastValidDay: document.expires,
                        daysLeft: document.expires.days(since: today)))
            }
            return facts
        }
        // A dealer both over its limit and overdue is in two of these lists; it is listed once.
        var listed: Set<UUID> = []
        for state in [ReceivablesQuery.StateFilter.warning, .breached, .overdue] {
            var query = ReceivablesQuery(state: state, limit: 1_000_000)
            query.sort = .balance
            for line in try await receivablesList(query).lines where listed.insert(line.dealerID).inserted {
                facts.credit.append(
                    DigestCredit(
                        dealerID: line.dealerID, state: line.creditState, overdueState: line.overdueState, currency: line.currency,
                        balance: line.balance, limit: line.limit, overdue: line.overdue, daysOverdue: line.daysOverdue))
            }
        }
        let all = try await receivablesList(ReceivablesQuery(limit: 0)).totals.first { $0.currency == settings.currency }
        facts.receivablesBalance = all?.balance ?? 0
        facts.receivablesOverdue = all?.overdue ?? 0
        facts.rhythm = try await rhythmList(today: today, settings: settings.rhythm, filter: RhythmFilter()).compactMap { rhythm in
            guard rhythm.assessment.status == .late || rhythm.assessment.status == .broken else { return nil }
            return DigestRhythm(
                dealerID: rhythm.dealerID, status: rhythm.assessment.status, daysLate: rhythm.assessment.daysLate,
                lastShipment: rhythm.assessment.lastShipment)
        }
        let plans = try await planFulfillment(
            period: .month(of: today), groupBy: .manager, today: today, currency: settings.currency,
            minElapsedDays: settings.plans.minElapsedDays)
        for line in plans.lines {
            guard let key = line.key, let manager = UUID(uuidString: key) else { continue }
            facts.plans[manager] = line.figures
        }
        return facts
    }
}
