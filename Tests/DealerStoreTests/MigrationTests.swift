import DealerCore
import DealerStore
import DealerTestSupport
import Testing

@Suite("Migrations")
struct MigrationTests {
    @Test(arguments: Backend.available)
    func migrateBringsAnEmptyDatabaseToTheLatestVersionOnce(_ backend: Backend) async throws {
        try await withTestStore(backend, migrated: false) { (store: Store) async throws in
            #expect(try await store.migrationStatus().appliedVersion == 0)
            let first = try await store.migrate(logger: testLogger)
            #expect(first == ["create_managers", "create_dealers", "create_api_keys", "create_audit_log", "create_events", "create_job_runs"])
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
            #expect(applied.count == 6)
            #expect(Set(applied).count == 6)
        }
    }
}
