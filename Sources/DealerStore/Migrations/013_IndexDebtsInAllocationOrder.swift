import SQLKit

/// A dealer's debts in allocation order (due date, document date, document id): the newest ones,
/// which are what is still open after FIFO, are read from the end of it without touching the rest.
struct IndexDebtsInAllocationOrder: Migration {
    let version = 13
    let name = "index_debts_in_allocation_order"

    func prepare(on sql: any SQLDatabase, types: ColumnTypes) async throws {
        try await sql.raw(
            """
            CREATE INDEX ledger_entries_debts_in_order ON ledger_entries (dealer_id, due_date, document_date, external_id)
            WHERE effect_minor > 0
            """
        ).run()
    }
}
