import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import SQLKit
import Testing

@Suite("Migrations")
struct MigrationTests {
    @Test(arguments: Backend.available)
    func migrateBringsAnEmptyDatabaseToTheLatestVersionOnce(_ backend: Backend) async throws {
        try await withTestStore(backend, migrated: false) { (store: Store) async throws in
            #expect(try await store.migrationStatus().appliedVersion == 0)
            let first = try await store.migrate(logger: testLogger)
            #expect(
                first == [
                    "create_managers", "create_dealers", "create_api_keys", "create_audit_log", "create_events", "create_job_runs",
                    "add_dealer_sequence_to_events",
                    "add_sort_key_to_dealers", "create_webhooks", "create_receivables", "add_dealer_to_api_keys", "create_segment_credit_policies",
                    "index_debts_in_allocation_order", "create_dealer_documents",
                    "create_accreditations", "create_rhythm_and_plans", "create_reconciliation_acts", "add_service_specialist_to_dealers",
                    "create_kpi_targets", "create_scorecard_closings", "create_notifications", "create_telegram_links",
                    "create_console_accounts", "create_act_answer_links", "create_dunning", "create_contact_telegram_chats", "create_kpi_values",
                    "create_deals",
                ])
            let status = try await store.migrationStatus()
            #expect(status.isCurrent)
            #expect(try await store.migrate(logger: testLogger).isEmpty)
        }
    }

    @Test(arguments: Backend.available)
    func replicasMigratingAtOnceApplyEachMigrationOnce(_ backend: Backend) async throws {
        try await withTestStore(backend, migrated: false) { (store: Store) async throws in
            let applied = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<3 { group.addTask { try await store.migrate(logger: testLogger) } }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(applied.count == 28)
            #expect(Set(applied).count == 28)
        }
    }

    @Test(arguments: Backend.available)
    func eventsWrittenBeforeDealerSequencesGetThemInFeedOrder(_ backend: Backend) async throws {
        try await withTestStore(backend, migrated: false) { (store: Store) async throws in
            try await store.migrate(logger: testLogger, through: 6)
            try await store.database.transaction { sql in
                for (index, dealer) in ["A", "B", "A", "A", "B"].enumerated() {
                    let id = UUID(uuidString: dealer == "A" ? "00000000-0000-0000-0000-00000000000A" : "00000000-0000-0000-0000-00000000000B")!
                    try await sql.raw(
                        "INSERT INTO events (id, type, occurred_at, dealer_id, data) VALUES (\(bind: UUID()), 'dealer.updated', \(bind: Date()), \(bind: id), \(bind: "{\"n\":\(index)}"))"
                    ).run()
                }
            }
            #expect(try await store.migrate(logger: testLogger, through: 7) == ["add_dealer_sequence_to_events"])
            try await store.migrate(logger: testLogger)
            let events = try await store.events(after: 0, types: [], dealerID: nil, limit: 10).items
            #expect(events.map(\.dealerSequence) == [1, 1, 2, 3, 2])
        }
    }

    @Test(arguments: Backend.available)
    func dealersStoredBeforeSortKeysAreListedAlphabeticallyAfterTheMigration(_ backend: Backend) async throws {
        try await withTestStore(backend, migrated: false) { (store: Store) async throws in
            try await store.migrate(logger: testLogger, through: 7)
            try await store.database.transaction { sql in
                for (index, name) in ["Ёлка", "Альфа", "Дельта"].enumerated() {
                    try await sql.raw(
                        """
                        INSERT INTO dealers (id, code, name, legal_name, tax_id, contacts, attributes, status, status_changed_at,
                            created_at, updated_at, search_text)
                        VALUES (\(bind: UUID()), \(bind: "D\(index)"), \(bind: name), \(bind: name), '7707083893', '[]', '{}',
                            'prospect', \(bind: Date()), \(bind: Date()), \(bind: Date()), \(bind: name.lowercased()))
                        """
                    ).run()
                }
            }
            try await store.migrate(logger: testLogger)
            #expect(try await store.dealers(matching: DealerQuery()).items.map(\.name) == ["Альфа", "Дельта", "Ёлка"])
        }
    }
}
