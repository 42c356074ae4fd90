import SQLKit

/// The links in an act's letter that let the dealer's accountant answer it without an account:
/// each a random code stored hashed, for one act and one address, until it expires.
struct CreateActAnswerLinks: Migration {
    let version = 24
    let name = "create_act_answer_links"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw(
            """
            CREATE TABLE act_answer_links (
                code_hash TEXT PRIMARY KEY,
                act_id \(unsafeRaw: types.uuid) NOT NULL REFERENCES reconciliation_acts (id),
                address TEXT NOT NULL,
                created_at \(unsafeRaw: types.instant) NOT NULL,
                expires_at \(unsafeRaw: types.instant) NOT NULL
            )
            """
        ).run()
    }
}
