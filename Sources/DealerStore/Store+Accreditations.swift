import DealerCore
import Foundation
import SQLKit

extension Store {
    /// Accredits a dealer under a profile: evaluates what is on file, keeps the decision as an
    /// immutable record, and moves the dealer (applicant → accredited, or back to prospect when
    /// rejected) — the record, the status, the audit entries and the events in one transaction.
    ///
    /// An override (the head of sales: an admin key, or a manager key bound to a manager whose role
    /// is head) replaces the profile's verdict; its reason is kept in the record and the audit log.
    public func accredit(
        dealerID: UUID, profile: AccreditationProfile, override: AccreditationOverride?, by actor: Caller, companyTimeZone: TimeZone
    ) async throws -> AccreditationRecord {
        let now = clock.now()
        let today = CivilDate(now, in: companyTimeZone)
        let flavor = database.flavor
        return try await writing { sql in
            if flavor == .postgres {
                try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: LockKeys.accreditation))").run()
            }
            guard let dealer = try await Self.fetchDealer(id: dealerID, on: sql, lockingOn: flavor) else {
                throw DomainError.notFound(entity: "dealer", id: dealerID.lowercased)
            }
            guard AccreditationEvaluation.Decision.decidableStatuses.contains(dealer.status) else {
                let why = dealer.status == .prospect ? "a prospect has not applied: move it to applicant first" : "the dealer is terminated"
                throw DomainError.conflict(field: "status", message: "cannot accredit a \(dealer.status.rawValue) dealer: \(why)")
            }
            if override != nil { try await Self.requireHeadOfSales(actor, on: sql) }
            let facts = try await Self.fetchAccreditationFacts(
                of: dealer, today: today, paymentHistoryMonths: profile.paymentHistoryMonths, on: sql)
            let evaluation = profile.evaluate(facts, today: today)
            let decision = override?.decision ?? evaluation.decision
            let next = decision.nextStatus(from: dealer.status) ?? dealer.status
            let record = AccreditationRecord(
                id: UUID(), dealerID: dealerID, profile: profile.name, profileVersion: profile.version,
                evaluatedDecision: evaluation.decision, decision: decision, score: evaluation.score, passMark: evaluation.passMark,
                override: override, facts: facts.jsonValue, evaluation: DealerJSON.value(of: evaluation),
                requiredDocuments: profile.requiredDocumentKinds, decidedBy: actor.name, decidedAt: now,
                validUntil: decision == .accredited ? today.adding(months: profile.validityMonths).adding(days: -1) : nil,
                statusBefore: dealer.status, statusAfter: next)
            try await Self.insert(record, on: sql)
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: override == nil ? "accreditation.decide" : "accreditation.override",
                    entityType: "dealer", entityID: dealerID.lowercased, before: nil, after: record.auditSummary),
                at: now, on: sql)
            try await Outbox.append(
                try DomainEvent(
                    type: .accreditationDecided, occurredAt: now, dealerID: dealerID, payload: AccreditationDecided(record: record, code: dealer.code)
                ),
                on: sql, flavor: flavor)
            if next != dealer.status {
                let reason = AccreditationRecord.statusReason(decision, profile: profile.name, version: profile.version)
                try await Self.moveStatus(of: dealer, to: next, reason: reason, actor: actor, at: now, on: sql, flavor: flavor)
            }
            return record
        }
    }

    /// A page of a dealer's accreditation decisions, newest first.
    public func accreditations(dealerID: UUID, page: PageRequest) async throws -> Page<AccreditationRecord> {
        let before = try page.cursor.map { try SequenceCursor(decoding: $0) }?.seq
        return try await database.read { sql in
            try await Self.requireDealer(dealerID, on: sql)
            let decoder = DealerJSON.decoder()
            var statement: SQLQueryString =
                "SELECT seq, \(unsafeRaw: Self.accreditationColumns) FROM accreditations WHERE dealer_id = \(bind: dealerID)"
            if let before { statement += " AND seq < \(bind: before)" }
            statement += " ORDER BY seq DESC LIMIT \(literal: page.limit + 1)"
            let (rows, more) = page.cut(try await sql.raw(statement).all())
            let records = CorruptRows.decode(rows, table: "accreditations") { try Self.decodeAccreditation($0, decoder: decoder) }
            let next = try more ? rows.last.map { SequenceCursor(seq: try $0.decode(column: "seq", as: Int64.self)).encoded } : nil
            return Page(items: records, nextCursor: next)
        }
    }

    /// Overrides are the head of sales' call: an admin key, or a manager key bound to an active
    /// manager whose role is head.
    static func requireHeadOfSales(_ actor: Caller, on sql: any SQLDatabase) async throws {
        if actor.role == .admin { return }
        let refusal = "an override is the head of sales' decision: it needs an admin key or a manager key bound to the head of sales"
        guard actor.role == .manager, let managerID = actor.managerID,
            let row = try await sql.raw("SELECT role, active FROM managers WHERE id = \(bind: managerID)").first(),
            try row.decode(column: "role", as: String.self) == SalesRole.head.rawValue,
            try row.decode(column: "active", as: Bool.self)
        else { throw DomainError.forbidden(message: refusal) }
    }

    /// Sets a dealer's status (a manager's change, an accreditation, its expiry) with its audit entry
    /// and `dealer.status_changed` event; the move is the caller's to check.
    static func moveStatus(
        of dealer: Dealer, to next: DealerStatus, reason: String, actor: Caller, at now: Date, on sql: any SQLDatabase, flavor: SQLFlavor
    ) async throws {
        // A move to applicant is an application: the compliance KPI counts days to accreditation from it.
        let applied: SQLQueryString = next == .applicant ? ", applied_at = \(bind: now)" : ""
        try await sql.raw(
            """
            UPDATE dealers SET status = \(bind: next.rawValue), status_reason = \(bind: reason), status_changed_at = \(bind: now),
                updated_at = \(bind: now)\(applied)
            WHERE id = \(bind: dealer.id)
            """
        ).run()
        try await AuditTrail.append(
            AuditRecord(
                actor: actor.name, action: "dealer.status_change", entityType: "dealer", entityID: dealer.id.lowercased,
                before: .object(["status": .string(dealer.status.rawValue)]),
                after: .object(["status": .string(next.rawValue), "reason": .string(reason)])),
            at: now, on: sql)
        try await Outbox.append(
            try DomainEvent(
                type: .dealerStatusChanged, occurredAt: now, dealerID: dealer.id,
                payload: DealerStatusChanged(
                    dealerID: dealer.id, code: dealer.code, from: dealer.status, to: next, reason: reason, actor: actor.name)),
            on: sql, flavor: flavor)
    }

    static let accreditationColumns = """
        id, dealer_id, profile, profile_version, evaluated_decision, decision, score, pass_mark, override_decision, override_reason,
        facts, evaluation, required_documents, decided_by, decided_at, valid_until, status_before, status_after
        """

    static func insert(_ record: AccreditationRecord, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            INSERT INTO accreditations (\(unsafeRaw: accreditationColumns))
            VALUES (\(bind: record.id), \(bind: record.dealerID), \(bind: record.profile), \(bind: record.profileVersion),
                \(bind: record.evaluatedDecision.rawValue), \(bind: record.decision.rawValue), \(bind: "\(record.score)"),
                \(bind: "\(record.passMark)"), \(bind: record.override?.decision.rawValue), \(bind: record.override?.reason),
                \(bind: DealerJSON.string(of: record.facts)), \(bind: DealerJSON.string(of: record.evaluation)),
                \(bind: DealerJSON.string(of: record.requiredDocuments)), \(bind: record.decidedBy), \(bind: record.decidedAt),
                \(bind: record.validUntil?.iso), \(bind: record.statusBefore.rawValue), \(bind: record.statusAfter.rawValue))
            """
        ).run()
    }

    static func decodeAccreditation(_ row: any SQLRow, decoder: JSONDecoder) throws -> AccreditationRecord {
        func json(_ column: String) throws -> JSONValue {
            try decoder.decode(JSONValue.self, from: Data(try row.decode(column: column, as: String.self).utf8))
        }
        let override = try row.decode(column: "override_decision", as: String?.self).map { decision in
            AccreditationOverride(
                decision: AccreditationEvaluation.Decision(rawValue: decision) ?? .needsReview,
                reason: try row.decode(column: "override_reason", as: String?.self) ?? "")
        }
        return AccreditationRecord(
            id: try row.decode(column: "id", as: UUID.self), dealerID: try row.decode(column: "dealer_id", as: UUID.self),
            profile: try row.decode(column: "profile", as: String.self),
            profileVersion: try row.decode(column: "profile_version", as: String.self),
            evaluatedDecision: try row.enumeration("evaluated_decision", as: AccreditationEvaluation.Decision.self),
            decision: try row.enumeration("decision", as: AccreditationEvaluation.Decision.self),
            score: Decimal(string: try row.decode(column: "score", as: String.self)) ?? 0,
            passMark: Decimal(string: try row.decode(column: "pass_mark", as: String.self)) ?? 0, override: override,
            facts: try json("facts"), evaluation: try json("evaluation"),
            requiredDocuments: try decoder.decode([String].self, from: Data(try row.decode(column: "required_documents", as: String.self).utf8)),
            decidedBy: try row.decode(column: "decided_by", as: String.self), decidedAt: try row.instant("decided_at"),
            validUntil: try row.optionalCivilDate("valid_until"), statusBefore: try row.enumeration("status_before", as: DealerStatus.self),
            statusAfter: try row.enumeration("status_after", as: DealerStatus.self))
    }
}

extension AccreditationRecord {
    /// What the audit log keeps of a decision (the record itself holds the rest).
    var auditSummary: JSONValue {
        var summary: [String: JSONValue] = [
            "accreditation_id": .string(id.lowercased), "profile": .string(profile), "profile_version": .string(profileVersion),
            "decision": .string(decision.rawValue), "evaluated_decision": .string(evaluatedDecision.rawValue),
        ]
        if let override { summary["override_reason"] = .string(override.reason) }
        return .object(summary)
    }
}
