import DealerCore
import Foundation
import SQLKit

extension Store {
    /// Files a document for a dealer; audited.
    public func addDocument(dealerID: UUID, _ draft: DealerDocumentDraft, by actor: Caller) async throws -> DealerDocument {
        let now = clock.now()
        let document = try draft.validated(id: UUID(), dealerID: dealerID, createdAt: now, now: now)
        return try await writing { sql in
            try await Self.requireDealer(dealerID, on: sql)
            try await sql.raw(
                """
                INSERT INTO dealer_documents (id, dealer_id, kind, number, issued, expires, note, created_at, updated_at)
                VALUES (\(bind: document.id), \(bind: dealerID), \(bind: document.kind), \(bind: document.number),
                        \(bind: document.issued?.iso), \(bind: document.expires?.iso), \(bind: document.note), \(bind: now), \(bind: now))
                """
            ).run()
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "document.add", entityType: "dealer", entityID: dealerID.lowercased, before: nil,
                    after: DealerJSON.value(of: document)),
                at: now, on: sql)
            return document
        }
    }

    /// Replaces a document's details (a renewed bank reference, a corrected number); audited.
    public func replaceDocument(dealerID: UUID, documentID: UUID, _ draft: DealerDocumentDraft, by actor: Caller) async throws -> DealerDocument {
        let now = clock.now()
        let flavor = database.flavor
        return try await writing { sql in
            guard
                let before = try await sql.raw(
                    "SELECT \(unsafeRaw: Self.documentColumns) FROM dealer_documents WHERE id = \(bind: documentID) AND dealer_id = \(bind: dealerID)\(unsafeRaw: flavor.rowLockForUpdate)"
                ).first().map(Self.decodeDocument)
            else { throw DomainError.notFound(entity: "document", id: documentID.lowercased) }
            let document = try draft.validated(id: documentID, dealerID: dealerID, createdAt: before.createdAt, now: now)
            try await sql.raw(
                """
                UPDATE dealer_documents SET kind = \(bind: document.kind), number = \(bind: document.number),
                    issued = \(bind: document.issued?.iso), expires = \(bind: document.expires?.iso), note = \(bind: document.note),
                    updated_at = \(bind: now)
                WHERE id = \(bind: documentID)
                """
            ).run()
            try await AuditTrail.append(
                AuditRecord(
                    actor: actor.name, action: "document.replace", entityType: "dealer", entityID: dealerID.lowercased,
                    before: DealerJSON.value(of: before), after: DealerJSON.value(of: document)),
                at: now, on: sql)
            return document
        }
    }

    /// A page of a dealer's documents, by kind, then newest expiry first.
    public func documents(dealerID: UUID, page: PageRequest) async throws -> Page<DealerDocument> {
        let offset = try page.startingOffset()
        return try await database.read { sql in
            try await Self.requireDealer(dealerID, on: sql)
            let rows = try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.documentColumns) FROM dealer_documents WHERE dealer_id = \(bind: dealerID)
                ORDER BY kind, expires DESC, created_at, id \(page.window(at: offset))
                """
            ).all()
            return page.page(of: rows, at: offset) { CorruptRows.decode($0, table: "dealer_documents", Self.decodeDocument) }
        }
    }

    static let documentColumns = "id, dealer_id, kind, number, issued, expires, note, created_at, updated_at"

    static func fetchDocuments(dealerID: UUID, on sql: any SQLDatabase) async throws -> [DealerDocument] {
        try await sql.raw(
            "SELECT \(unsafeRaw: documentColumns) FROM dealer_documents WHERE dealer_id = \(bind: dealerID) ORDER BY kind, expires DESC, created_at"
        ).all().map(decodeDocument)
    }

    static func decodeDocument(_ row: any SQLRow) throws -> DealerDocument {
        DealerDocument(
            id: try row.decode(column: "id", as: UUID.self), dealerID: try row.decode(column: "dealer_id", as: UUID.self),
            kind: try row.decode(column: "kind", as: String.self), number: try row.decode(column: "number", as: String?.self),
            issued: try row.decode(column: "issued", as: String?.self).flatMap(CivilDate.init(stored:)),
            expires: try row.decode(column: "expires", as: String?.self).flatMap(CivilDate.init(stored:)),
            note: try row.decode(column: "note", as: String?.self), createdAt: try row.instant("created_at"),
            updatedAt: try row.instant("updated_at"))
    }
}
