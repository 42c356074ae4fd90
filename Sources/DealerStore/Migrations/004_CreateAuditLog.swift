import SQLKit

struct CreateAuditLog: Migration {
    let version = 4
    let name = "create_audit_log"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw(
            """
            CREATE TABLE audit_log (
                seq \(unsafeRaw: types.sequenceKey),
                at \(unsafeRaw: types.instant) NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                entity_type TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                before_json \(unsafeRaw: types.json),
                after_json \(unsafeRaw: types.json)
            )
            """
        ).run()
        try await sql.raw("CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, seq)").run()
    }
}
