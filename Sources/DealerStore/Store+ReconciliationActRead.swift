import DealerCore
import Foundation
import SQLKit

/// Which acts a list shows: a page of them, latest period first, a dealer's versions newest first.
public struct ActQuery: Sendable {
    public var from: CivilDate?
    public var to: CivilDate?
    public var status: ActStatus?
    public var dealerID: UUID?
    public var managerID: UUID?
    public var serviceSpecialistID: UUID?
    public var cursor: String?
    public var limit: Int
    /// Whose dealers the caller may see (`auth.manager_scope`).
    public var visibility: DealerVisibility = .all

    public init(
        from: CivilDate? = nil, to: CivilDate? = nil, status: ActStatus? = nil, dealerID: UUID? = nil, managerID: UUID? = nil,
        serviceSpecialistID: UUID? = nil, cursor: String? = nil, limit: Int = PageSize.maximum
    ) {
        self.from = from
        self.to = to
        self.status = status
        self.dealerID = dealerID
        self.managerID = managerID
        self.serviceSpecialistID = serviceSpecialistID
        self.cursor = cursor
        self.limit = limit
    }
}

/// Where a page of acts ended, in the list's order (period end descending, dealer code, version
/// descending, id): the last act's keys, base64url-encoded.
struct ActCursor: PageCursor, Equatable {
    var periodTo: String
    var code: String
    var version: Int
    var id: UUID
}

extension Store {
    public func act(id: UUID) async throws -> ReconciliationAct {
        try await database.read { sql in
            guard let row = try await sql.raw("SELECT \(unsafeRaw: Self.actColumns) FROM reconciliation_acts WHERE id = \(bind: id)").first() else {
                throw DomainError.notFound(entity: "reconciliation act", id: id.lowercased)
            }
            return try Self.decodeAct(row)
        }
    }

    /// Acts of a period (or any), newest version first per dealer code order.
    public func acts(_ query: ActQuery) async throws -> Page<ReconciliationAct> {
        let after = try query.cursor.map { try ActCursor(decoding: $0) }
        return try await database.read { sql in
            var condition: SQLQueryString = "1 = 1"
            if let from = query.from { condition = condition + " AND a.period_from = \(bind: from.iso)" }
            if let to = query.to { condition = condition + " AND a.period_to = \(bind: to.iso)" }
            if let status = query.status { condition = condition + " AND a.status = \(bind: status.rawValue)" }
            if let dealer = query.dealerID { condition = condition + " AND a.dealer_id = \(bind: dealer)" }
            if let manager = query.managerID { condition = condition + " AND d.manager_id = \(bind: manager)" }
            if query.visibility != .all { condition = condition + " AND " + query.visibility.condition(dealerIDColumn: "d.id") }
            if let specialist = query.serviceSpecialistID { condition = condition + " AND d.service_specialist_id = \(bind: specialist)" }
            if let after {
                condition =
                    condition + """
                         AND (a.period_to < \(bind: after.periodTo) OR (a.period_to = \(bind: after.periodTo) AND (d.code > \(bind: after.code)
                         OR (d.code = \(bind: after.code) AND (a.version < \(bind: after.version) OR (a.version = \(bind: after.version) AND a.id > \(bind: after.id)))))))
                        """
            }
            let rows = try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.actColumns.split(separator: ",").map { "a." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")),
                       d.code AS dealer_code
                FROM reconciliation_acts a JOIN dealers d ON d.id = a.dealer_id
                WHERE \(condition) ORDER BY a.period_to DESC, d.code, a.version DESC, a.id LIMIT \(literal: query.limit + 1)
                """
            ).all()
            var acts: [ReconciliationAct] = []
            var lastCode = ""
            for row in rows.prefix(query.limit) {
                acts.append(try Self.decodeAct(row))
                lastCode = try row.decode(column: "dealer_code", as: String.self)
            }
            guard rows.count > query.limit, let last = acts.last else { return Page(items: acts, nextCursor: nil) }
            let cursor = ActCursor(periodTo: last.statement.to.iso, code: lastCode, version: last.version, id: last.id)
            return Page(items: acts, nextCursor: cursor.encoded)
        }
    }

    /// The dealer's answer: confirmed, or disputed with the lines that differ. Fills the dealer's side
    /// and writes `reconciliation.act_confirmed` / `reconciliation.act_disputed`. An outdated act, or
    /// one already answered, cannot be answered.
    public func answerAct(
        id: UUID, confirmed: Bool, dealerClosingMinor: Int64?, discrepancies: [ActDiscrepancy], by actor: Caller
    ) async throws -> ReconciliationAct {
        let now = clock.now()
        let flavor = database.flavor
        return try await writing { sql in
            guard
                let row = try await sql.raw(
                    "SELECT \(unsafeRaw: Self.actColumns) FROM reconciliation_acts WHERE id = \(bind: id)\(unsafeRaw: flavor.rowLockForUpdate)"
                ).first()
            else { throw DomainError.notFound(entity: "reconciliation act", id: id.lowercased) }
            var act = try Self.decodeAct(row)
            if let dealer = actor.dealerID, dealer != act.dealerID { throw DomainError.notFound(entity: "reconciliation act", id: id.lowercased) }
            switch act.status {
            case .outdated:
                throw DomainError.conflict(field: "status", message: "the act is outdated: a later version replaces it; answer that one")
            case .confirmed, .disputed:
                throw DomainError.conflict(field: "status", message: "the act was answered already (\(act.status.rawValue))")
            case .generated, .sent:
                break
            }
            act.status = confirmed ? .confirmed : .disputed
            act.dealerClosingMinor = confirmed ? act.statement.closingMinor : dealerClosingMinor
            act.discrepancies = confirmed ? [] : discrepancies
            act.answeredAt = now
            act.answeredBy = actor.name
            try await sql.raw(
                """
                UPDATE reconciliation_acts SET status = \(bind: act.status.rawValue), dealer_closing_minor = \(bind: act.dealerClosingMinor),
                    discrepancies = \(bind: DealerJSON.string(of: act.discrepancies)), answered_at = \(bind: now), answered_by = \(bind: actor.name)
                WHERE id = \(bind: id)
                """
            ).run()
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: confirmed ? "act.confirm" : "act.dispute", entityType: "reconciliation_act",
                    entityID: id.lowercased, before: .object(["status": .string("generated")]),
                    after: .object(["status": .string(act.status.rawValue), "discrepancies": .number(Decimal(discrepancies.count))])),
                at: now, on: sql)
            try await Outbox.append(
                try DomainEvent(
                    type: confirmed ? .reconciliationActConfirmed : .reconciliationActDisputed, occurredAt: now, dealerID: act.dealerID,
                    payload: ActAnswered(
                        actID: id, number: act.number, dealerID: act.dealerID, periodFrom: act.statement.from, periodTo: act.statement.to,
                        discrepancies: act.discrepancies.count, answeredBy: actor.name)),
                on: sql, flavor: flavor)
            return act
        }
    }

    /// The act as the FNS sender's title (КНД 1110332), with the dealer's ОГРН, contact and EDO id
    /// from its card (`attributes.ogrn`, `attributes.edo_id`, the first contact with a phone or e-mail).
    public func actXML(id: UUID, settings: ActSettings, timeZone: TimeZone) async throws -> FNSSenderTitle.File {
        let act = try await act(id: id)
        let dealer = try await dealer(id: act.dealerID)
        func attribute(_ name: String) -> String? {
            switch dealer.attributes[name] {
            case .string(let text)?: text.trimmedNonEmpty
            case .number(let number)?: "\(number)"
            default: nil
            }
        }
        let counterparty = FNSCounterparty(
            ogrn: attribute("ogrn"), phone: dealer.contacts.compactMap(\.phone).first, email: dealer.contacts.compactMap(\.email).first,
            edoID: attribute("edo_id"),
            person: attribute("surname").flatMap { surname in
                attribute("name").map { PersonName(surname: surname, name: $0, patronymic: attribute("patronymic")) }
            })
        do {
            return try FNSSenderTitle.build(act, settings: settings.fns, dealer: counterparty, at: clock.now(), in: timeZone)
        } catch {
            throw ValidationError(field: error.field, error.message)
        }
    }

    static let actColumns = """
        id, number, dealer_id, version, previous_id, reason, status, statement, generated_at, dealer_closing_minor, discrepancies,
        answered_at, answered_by
        """

    static func decodeAct(_ row: any SQLRow) throws -> ReconciliationAct {
        let decoder = DealerJSON.decoder()
        return ReconciliationAct(
            id: try row.decode(column: "id", as: UUID.self), number: try row.decode(column: "number", as: String.self),
            dealerID: try row.decode(column: "dealer_id", as: UUID.self), version: try row.decode(column: "version", as: Int.self),
            previousID: try row.decode(column: "previous_id", as: UUID?.self), reason: try row.enumeration("reason", as: ActReason.self),
            status: try row.enumeration("status", as: ActStatus.self),
            statement: try decoder.decode(ReconciliationStatement.self, from: Data(try row.decode(column: "statement", as: String.self).utf8)),
            generatedAt: try row.instant("generated_at"), dealerClosingMinor: try row.decode(column: "dealer_closing_minor", as: Int64?.self),
            discrepancies: try row.decode(column: "discrepancies", as: String?.self).map {
                try decoder.decode([ActDiscrepancy].self, from: Data($0.utf8))
            } ?? [],
            answeredAt: try row.optionalInstant("answered_at"), answeredBy: try row.decode(column: "answered_by", as: String?.self))
    }
}
