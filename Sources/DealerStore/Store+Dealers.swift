import DealerCore
import Foundation
import SQLKit

extension Store {
    /// Creates a dealer, its audit record and its `dealer.created` event, all or nothing.
    public func createDealer(_ draft: DealerDraft, by actor: Caller) async throws -> Dealer {
        let now = clock.now()
        let dealer = try draft.validated(id: UUID(), now: now)
        let flavor = database.flavor
        return try await writing { sql in
            try await Self.checkReferences(of: dealer, excluding: nil, on: sql)
            try await sql.raw(
                """
                INSERT INTO dealers (id, code, name, legal_name, tax_id, kpp, region, city, segment, manager_id, service_specialist_id,
                    contacts, attributes, status, status_reason, status_changed_at, created_at, updated_at, search_text, sort_key,
                    applied_at)
                VALUES (\(bind: dealer.id), \(bind: dealer.code), \(bind: dealer.name), \(bind: dealer.legalName),
                    \(bind: dealer.taxID.value), \(bind: dealer.kpp), \(bind: dealer.region), \(bind: dealer.city),
                    \(bind: dealer.segment), \(bind: dealer.managerID), \(bind: dealer.serviceSpecialistID), \(bind: DealerJSON.string(of: dealer.contacts)),
                    \(bind: DealerJSON.string(of: dealer.attributes)), \(bind: dealer.status.rawValue),
                    \(bind: dealer.statusReason), \(bind: dealer.statusChangedAt), \(bind: dealer.createdAt),
                    \(bind: dealer.updatedAt), \(bind: DealerQuery.searchText(of: dealer)),
                    \(bind: DealerQuery.sortKey(forName: dealer.name)), \(bind: dealer.status == .prospect ? nil : now))
                """
            ).run()
            let snapshot = DealerJSON.value(of: dealer)
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "dealer.create", entityType: "dealer",
                    entityID: dealer.id.lowercased, before: nil, after: snapshot),
                at: now, on: sql)
            try await Outbox.append(
                try DomainEvent(type: .dealerCreated, occurredAt: now, dealerID: dealer.id, payload: dealer),
                on: sql, flavor: flavor)
            return dealer
        }
    }

    public func dealer(id: UUID) async throws -> Dealer {
        try await database.read { sql in
            guard let dealer = try await Self.fetchDealer(id: id, on: sql, lockingOn: nil) else {
                throw DomainError.notFound(entity: "dealer", id: id.lowercased)
            }
            return dealer
        }
    }

    /// A page of dealers in alphabetical order (see `DealerQuery.sortKey`), ties broken by id.
    public func dealers(matching query: DealerQuery) async throws -> Page<Dealer> {
        let after = try query.cursor.map { try KeysetCursor(decoding: $0) }
        return try await database.read { sql in
            var conditions: [SQLQueryString] = []
            if let status = query.status { conditions.append("status = \(bind: status.rawValue)") }
            if let region = query.region { conditions.append("region = \(bind: region)") }
            if let segment = query.segment { conditions.append("segment = \(bind: segment)") }
            if let managerID = query.managerID { conditions.append("manager_id = \(bind: managerID)") }
            if query.visibility != .all { conditions.append(query.visibility.condition(dealerIDColumn: "id")) }
            if let search = query.search?.trimmedNonEmpty {
                conditions.append("search_text LIKE \(bind: "%" + Self.escapeLike(search.lowercased()) + "%") ESCAPE '\\'")
            }
            if let after {
                conditions.append(
                    "(sort_key > \(bind: after.name) OR (sort_key = \(bind: after.name) AND id > \(bind: after.id)))")
            }
            var statement: SQLQueryString = "SELECT \(unsafeRaw: DealerRow.columns) FROM dealers"
            if !conditions.isEmpty { statement += " WHERE " + conditions.joined(separator: " AND ") }
            statement += " ORDER BY sort_key, id LIMIT \(literal: query.limit + 1)"
            let rows = try await sql.raw(statement).all()
            let dealers = CorruptRows.decode(rows.prefix(query.limit), table: "dealers", DealerRow.decode)
            let next =
                rows.count > query.limit ? dealers.last.map { KeysetCursor(name: DealerQuery.sortKey(forName: $0.name), id: $0.id).encoded } : nil
            return Page(items: dealers, nextCursor: next)
        }
    }

    /// Applies a partial update. An update that changes nothing writes nothing (no audit, no event).
    public func updateDealer(id: UUID, _ patch: DealerPatch, by actor: Caller) async throws -> Dealer {
        let now = clock.now()
        let flavor = database.flavor
        return try await writing { sql in
            guard let before = try await Self.fetchDealer(id: id, on: sql, lockingOn: flavor) else {
                throw DomainError.notFound(entity: "dealer", id: id.lowercased)
            }
            let after = try patch.applied(to: before, now: now)
            guard after != before else { return before }
            try await Self.checkReferences(of: after, excluding: before, on: sql)
            try await sql.raw(
                """
                UPDATE dealers SET code = \(bind: after.code), name = \(bind: after.name),
                    legal_name = \(bind: after.legalName), tax_id = \(bind: after.taxID.value), kpp = \(bind: after.kpp),
                    region = \(bind: after.region), city = \(bind: after.city), segment = \(bind: after.segment),
                    manager_id = \(bind: after.managerID), service_specialist_id = \(bind: after.serviceSpecialistID), contacts = \(bind: DealerJSON.string(of: after.contacts)),
                    attributes = \(bind: DealerJSON.string(of: after.attributes)), updated_at = \(bind: after.updatedAt),
                    search_text = \(bind: DealerQuery.searchText(of: after)),
                    sort_key = \(bind: DealerQuery.sortKey(forName: after.name))
                WHERE id = \(bind: id)
                """
            ).run()
            let beforeJSON = DealerJSON.value(of: before)
            let afterJSON = DealerJSON.value(of: after)
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "dealer.update", entityType: "dealer", entityID: id.lowercased,
                    before: beforeJSON, after: afterJSON),
                at: now, on: sql)
            try await Outbox.append(
                try DomainEvent(
                    type: .dealerUpdated, occurredAt: now, dealerID: id,
                    payload: DealerUpdated(dealer: after, changedFields: Self.changedFields(beforeJSON, afterJSON))),
                on: sql, flavor: flavor)
            return after
        }
    }

    /// Moves a dealer along its lifecycle; an illegal move is refused with the moves that are allowed.
    public func changeDealerStatus(id: UUID, to next: DealerStatus, reason: String?, by actor: Caller) async throws -> Dealer {
        let now = clock.now()
        let flavor = database.flavor
        return try await writing { sql in
            guard let before = try await Self.fetchDealer(id: id, on: sql, lockingOn: flavor) else {
                throw DomainError.notFound(entity: "dealer", id: id.lowercased)
            }
            let change = try StatusChange.validate(from: before.status, to: next, reason: reason)
            try await Self.moveStatus(of: before, to: change.to, reason: change.reason, actor: actor, at: now, on: sql, flavor: flavor)
            var after = before
            after.status = change.to
            after.statusReason = change.reason
            after.statusChangedAt = now
            after.updatedAt = now
            return after
        }
    }

    // MARK: - Helpers

    /// The dealer, locked for the rest of the transaction when `lockingOn` names the database.
    static func fetchDealer(id: UUID, on sql: any SQLDatabase, lockingOn flavor: SQLFlavor?) async throws -> Dealer? {
        let lock = flavor?.rowLockForUpdate ?? ""
        return try await sql.raw(
            "SELECT \(unsafeRaw: DealerRow.columns) FROM dealers WHERE id = \(bind: id)\(unsafeRaw: lock)"
        ).first().map(DealerRow.decode)
    }

    /// The code must be free, the manager must exist and the service specialist must be a manager of
    /// sales role `service`; checked first so the answer names the field.
    static func checkReferences(of dealer: Dealer, excluding before: Dealer?, on sql: any SQLDatabase) async throws {
        if dealer.code != before?.code {
            let taken = try await sql.raw("SELECT id FROM dealers WHERE code = \(bind: dealer.code)").first()
            if taken != nil {
                throw DomainError.conflict(field: "code", message: "a dealer with code \(dealer.code) already exists")
            }
        }
        if let managerID = dealer.managerID, managerID != before?.managerID {
            let manager = try await sql.raw("SELECT id FROM managers WHERE id = \(bind: managerID)").first()
            if manager == nil {
                throw ValidationError(field: "manager_id", "no manager with id \(managerID.lowercased)")
            }
        }
        if let specialistID = dealer.serviceSpecialistID, specialistID != before?.serviceSpecialistID {
            let row = try await sql.raw("SELECT role FROM managers WHERE id = \(bind: specialistID)").first()
            guard let role = try row?.decode(column: "role", as: String.self) else {
                throw ValidationError(field: "service_specialist_id", "no manager with id \(specialistID.lowercased)")
            }
            guard role == SalesRole.service.rawValue else {
                throw ValidationError(
                    field: "service_specialist_id", "manager \(specialistID.lowercased) is not a service specialist (sales role \(role))")
            }
        }
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }

    static func changedFields(_ before: JSONValue, _ after: JSONValue) -> [String] {
        guard case .object(let old) = before, case .object(let new) = after else { return [] }
        return Set(old.keys).union(new.keys).filter { old[$0] != new[$0] && $0 != "updated_at" }.sorted()
    }

    /// Runs a write transaction, turning a unique-key race lost to another request into a 409.
    func writing<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            return try await database.transaction(body)
        } catch let error where UniqueViolation.matches(error) {
            throw DomainError.conflict(field: "", message: "another request stored the same key at the same time; retry")
        }
    }
}
