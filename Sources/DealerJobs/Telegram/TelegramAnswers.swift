import DealerCore
import DealerStore
import Foundation

/// The bot's read-only answers to a linked person: `/limits`, `/late` and `/dealer КОД` from the
/// same lists as `/v1/receivables` and `/v1/rhythm`, and `/mute КОД` as `POST …/mutes` would. A
/// manager hears of the dealers he manages or serves; the head of sales of the whole department.
public struct TelegramAnswers: Sendable {
    let store: Store
    let rhythm: RhythmSettings
    let scope: ManagerScope

    public init(store: Store, rhythm: RhythmSettings, scope: ManagerScope) {
        self.store = store
        self.rhythm = rhythm
        self.scope = scope
    }

    /// Whose dealers the lists name.
    func own(_ manager: Manager) -> DealerVisibility { manager.role == .head ? .all : .managedBy(manager.id) }

    /// Which dealers `/dealer` may show: what the person's API key would see.
    func visible(_ manager: Manager) -> DealerVisibility { manager.role == .head || scope == .all ? .all : .managedBy(manager.id) }

    func limits(for manager: Manager) async throws -> String {
        var lines: [(DigestDealer, DigestCredit)] = []
        for state in [ReceivablesQuery.StateFilter.breached, .warning] {
            var query = ReceivablesQuery(state: state, limit: 1000)
            query.visibility = own(manager)
            lines += try await store.receivablesList(query).lines.map(Self.pair)
        }
        return BotReplies.limits(lines)
    }

    func late(for manager: Manager) async throws -> String {
        var filter = RhythmFilter()
        filter.visibility = own(manager)
        let lines = try await store.rhythmList(today: store.calendar.today, settings: rhythm, filter: filter).compactMap {
            rhythm -> (DigestDealer, DigestRhythm)? in
            guard rhythm.assessment.status == .late || rhythm.assessment.status == .broken else { return nil }
            return (
                DigestDealer(id: rhythm.dealerID, code: rhythm.code, name: rhythm.name, managerID: rhythm.managerID, serviceSpecialistID: nil),
                Self.rhythm(rhythm)
            )
        }
        return BotReplies.late(lines)
    }

    func position(code: String, for manager: Manager) async throws -> String {
        guard let dealer = try await dealer(code: code, for: manager) else { return BotReplies.unknownDealer(code) }
        var query = ReceivablesQuery(limit: 1)
        query.dealerID = dealer.id
        let credit = try await store.receivablesList(query).lines.first.map { Self.pair($0).1 }
        let rhythm = dealer.status == .accredited ? try await store.rhythm(dealerID: dealer.id, today: store.calendar.today, settings: rhythm) : nil
        return BotReplies.dealer(Self.digestDealer(dealer), credit: credit, rhythm: rhythm.map(Self.rhythm))
    }

    func mute(code: String, on: Bool, for manager: Manager, chatID: String) async throws -> String {
        guard let dealer = try await dealer(code: code, for: manager) else { return BotReplies.unknownDealer(code) }
        let outbox = NotificationStore(store)
        let actor = Caller(name: "telegram:\(chatID)", role: .manager, managerID: manager.id)
        let mute = NotificationMute(managerID: manager.id, dealerID: dealer.id)
        _ = on ? try await outbox.mute(mute, by: actor) : try await outbox.unmute(mute, by: actor)
        return BotReplies.muted(Self.digestDealer(dealer), on: on)
    }

    /// The dealer of exactly this code (any case) that the person may see.
    private func dealer(code: String, for manager: Manager) async throws -> Dealer? {
        let wanted = code.trimmingCharacters(in: .whitespaces).lowercased()
        guard !wanted.isEmpty, wanted.count <= 64 else { return nil }
        var query = DealerQuery(search: wanted, limit: 50)
        query.visibility = visible(manager)
        return try await store.dealers(matching: query).items.first { $0.code.lowercased() == wanted }
    }

    private static func digestDealer(_ dealer: Dealer) -> DigestDealer {
        DigestDealer(
            id: dealer.id, code: dealer.code, name: dealer.name, managerID: dealer.managerID, serviceSpecialistID: dealer.serviceSpecialistID)
    }

    private static func pair(_ line: ReceivablesLine) -> (DigestDealer, DigestCredit) {
        (
            DigestDealer(id: line.dealerID, code: line.code, name: line.name, managerID: line.managerID, serviceSpecialistID: nil),
            DigestCredit(
                dealerID: line.dealerID, state: line.creditState, overdueState: line.overdueState, currency: line.currency, balance: line.balance,
                limit: line.limit, overdue: line.overdue, daysOverdue: line.daysOverdue)
        )
    }

    private static func rhythm(_ rhythm: DealerRhythm) -> DigestRhythm {
        DigestRhythm(
            dealerID: rhythm.dealerID, status: rhythm.assessment.status, daysLate: rhythm.assessment.daysLate,
            lastShipment: rhythm.assessment.lastShipment)
    }
}
