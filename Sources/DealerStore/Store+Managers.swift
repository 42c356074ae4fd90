import DealerCore
import Foundation
import SQLKit

extension Store {
    public func createManager(_ draft: ManagerDraft, by actor: Caller) async throws -> Manager {
        let now = clock.now()
        let manager = try draft.validated(id: UUID(), now: now)
        try ManagerAuthority.check(draft, by: actor)
        let flavor = database.flavor
        return try await writing { sql in
            try await Self.checkEmailFree(manager.email, on: sql)
            try await sql.raw(
                """
                INSERT INTO managers (id, name, email, role, active, created_at, updated_at)
                VALUES (\(bind: manager.id), \(bind: manager.name), \(bind: manager.email), \(bind: manager.role.rawValue),
                        \(bind: manager.active), \(bind: now), \(bind: now))
                """
            ).run()
            let snapshot = DealerJSON.value(of: manager)
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "manager.create", entityType: "manager",
                    entityID: manager.id.lowercased, before: nil, after: snapshot),
                at: now, on: sql)
            try await Outbox.append(
                try DomainEvent(type: .managerCreated, occurredAt: now, payload: manager), on: sql, flavor: flavor)
            return manager
        }
    }

    public func manager(id: UUID) async throws -> Manager {
        try await database.read { sql in
            guard let manager = try await Self.fetchManager(id: id, on: sql, lockingOn: nil) else {
                throw DomainError.notFound(entity: "manager", id: id.lowercased)
            }
            return manager
        }
    }

    /// Managers in (name, id) order, optionally only one sales role or only active ones.
    public func managers(role: SalesRole?, active: Bool?, limit: Int, cursor: String?) async throws -> Page<Manager> {
        let after = try cursor.map { try KeysetCursor(decoding: $0) }
        return try await database.read { sql in
            var conditions: [SQLQueryString] = []
            if let role { conditions.append("role = \(bind: role.rawValue)") }
            if let active { conditions.append("active = \(bind: active)") }
            if let after {
                conditions.append("(name > \(bind: after.name) OR (name = \(bind: after.name) AND id > \(bind: after.id)))")
            }
            var statement: SQLQueryString = "SELECT id, name, email, role, active, created_at, updated_at FROM managers"
            if !conditions.isEmpty { statement += " WHERE " + conditions.joined(separator: " AND ") }
            statement += " ORDER BY name, id LIMIT \(literal: limit + 1)"
            let rows = try await sql.raw(statement).all()
            let managers = try rows.prefix(limit).map(Self.decodeManager)
            let next = rows.count > limit ? managers.last.map { KeysetCursor(name: $0.name, id: $0.id).encoded } : nil
            return Page(items: managers, nextCursor: next)
        }
    }

    public func updateManager(id: UUID, _ patch: ManagerPatch, by actor: Caller) async throws -> Manager {
        let now = clock.now()
        let flavor = database.flavor
        return try await writing { sql in
            guard let before = try await Self.fetchManager(id: id, on: sql, lockingOn: flavor) else {
                throw DomainError.notFound(entity: "manager", id: id.lowercased)
            }
            let after = try patch.applied(to: before, now: now)
            guard after != before else { return before }
            try ManagerAuthority.check(before: before, after: after, by: actor)
            if after.email != before.email { try await Self.checkEmailFree(after.email, on: sql) }
            try await sql.raw(
                """
                UPDATE managers SET name = \(bind: after.name), email = \(bind: after.email),
                    role = \(bind: after.role.rawValue), active = \(bind: after.active), updated_at = \(bind: now)
                WHERE id = \(bind: id)
                """
            ).run()
            let afterJSON = DealerJSON.value(of: after)
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "manager.update", entityType: "manager", entityID: id.lowercased,
                    before: DealerJSON.value(of: before), after: afterJSON),
                at: now, on: sql)
            try await Outbox.append(
                try DomainEvent(type: .managerUpdated, occurredAt: now, payload: after), on: sql, flavor: flavor)
            return after
        }
    }

    static func checkEmailFree(_ email: String, on sql: any SQLDatabase) async throws {
        if try await sql.raw("SELECT id FROM managers WHERE email = \(bind: email)").first() != nil {
            throw DomainError.conflict(field: "email", message: "a manager with e-mail \(email) already exists")
        }
    }

    static func fetchManager(id: UUID, on sql: any SQLDatabase, lockingOn flavor: SQLFlavor?) async throws -> Manager? {
        let lock = flavor?.rowLockForUpdate ?? ""
        return try await sql.raw(
            "SELECT id, name, email, role, active, created_at, updated_at FROM managers WHERE id = \(bind: id)\(unsafeRaw: lock)"
        ).first().map(decodeManager)
    }

    static func decodeManager(_ row: any SQLRow) throws -> Manager {
        Manager(
            id: try row.decode(column: "id", as: UUID.self),
            name: try row.decode(column: "name", as: String.self),
            email: try row.decode(column: "email", as: String.self),
            role: try row.enumeration("role", as: SalesRole.self),
            active: try row.decode(column: "active", as: Bool.self),
            createdAt: try row.instant("created_at"),
            updatedAt: try row.instant("updated_at"))
    }
}

extension Store {
    /// Every manager's name by id, for reports grouped by manager.
    static func managerNames(on sql: any SQLDatabase) async throws -> [UUID: String] {
        var names: [UUID: String] = [:]
        for row in try await sql.raw("SELECT id, name FROM managers").all() {
            names[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "name", as: String.self)
        }
        return names
    }
}
