import Foundation
import Testing

/// Landed migrations are append-only, as Flyway keeps them: each file's checksum is pinned here, so
/// editing one fails CI. A new migration is a new file with the next number, and its checksum is
/// added below in the same commit. Whitespace is not counted, so reformatting is not an edit.
@Suite("Migrations are append-only")
struct MigrationChecksumTests {
    static let pinned: [String: UInt64] = [
        "001_CreateManagers.swift": 0x4e7a_297c_b601_f88f,
        "002_CreateDealers.swift": 0x1aaf_9f14_7d8e_4a55,
        "003_CreateAPIKeys.swift": 0x1279_1afe_5249_4890,
        "004_CreateAuditLog.swift": 0x3c1b_26dc_ff35_b3f6,
        "005_CreateEvents.swift": 0x8a84_3f2e_c29a_1747,
        "006_CreateJobRuns.swift": 0xc8f6_36f4_8102_44d8,
        "007_AddDealerSequenceToEvents.swift": 0x1171_fcdf_f3d9_4cb0,
        "008_AddSortKeyToDealers.swift": 0xfe2c_0611_bedd_6d5a,
        "009_CreateWebhooks.swift": 0x9fc5_1fca_a5f1_8120,
        "010_CreateReceivables.swift": 0x823c_9d7c_90fc_5230,
        "011_AddDealerToAPIKeys.swift": 0x3790_9d30_35ab_3f37,
        "012_CreateSegmentCreditPolicies.swift": 0xf19b_b910_2b47_ed07,
        "013_IndexDebtsInAllocationOrder.swift": 0xcc2c_189b_59e4_afce,
        "014_CreateDealerDocuments.swift": 0x2bab_a86a_5e3d_7488,
        "015_CreateAccreditations.swift": 0x62b2_f5f2_5486_f003,
        "016_CreateRhythmAndPlans.swift": 0x8afd_d75b_694e_5d1c,
        "017_CreateReconciliationActs.swift": 0x9762_690f_784d_5df9,
        "018_AddServiceSpecialistToDealers.swift": 0xb1d8_56b3_6582_89eb,
        "019_CreateKPITargets.swift": 0xb094_e0c6_d30e_7019,
        "020_CreateScorecardClosings.swift": 0x78a1_e1e4_6698_e8a4,
        "021_CreateNotifications.swift": 0x1f61_2342_e93d_ea46,
        "022_CreateTelegramLinks.swift": 0x2c75_0604_2e2d_5ee5,
        "023_CreateConsoleAccounts.swift": 0x9762_cc19_107c_773b,
        "024_CreateActAnswerLinks.swift": 0xcbc3_bbe8_514d_12e7,
        "025_CreateDunning.swift": 0x0925_165d_3d88_987c,
        "026_CreateContactTelegramChats.swift": 0x5494_e67a_83b5_c312,
        "027_CreateKPIValues.swift": 0xd653_4bd1_159f_ccc2,
        "028_CreateDeals.swift": 0x535f_e6f7_5aa7_bcec,
    ]

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/DealerStore/Migrations")

    /// FNV-1a (64 bits) of the text without whitespace: enough to notice an edit, with no dependency.
    static func checksum(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in String(String.UnicodeScalarView(text.unicodeScalars.filter { !$0.properties.isWhitespace })).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    static func migrationFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.first?.isNumber == true && $0.hasSuffix(".swift") }.sorted()
    }

    @Test func noLandedMigrationHasBeenEdited() throws {
        for file in try Self.migrationFiles() {
            guard let pin = Self.pinned[file] else { continue }
            let text = try String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8)
            #expect(
                Self.checksum(text) == pin,
                "\(file) has changed since it landed: migrations are append-only; undo the edit and add a new migration instead")
        }
    }

    @Test func migrationsAreNumberedInOrderAndEachNewOneIsPinned() throws {
        let files = try Self.migrationFiles()
        #expect(Set(Self.pinned.keys).isSubset(of: Set(files)), "a landed migration was removed or renamed")
        let numbers = files.compactMap { Int($0.prefix(3)) }
        #expect(numbers == Array(1...numbers.count), "one file per version, numbered without gaps: \(files)")
        let unpinned = files.filter { Self.pinned[$0] == nil }
        #expect(
            unpinned.isEmpty,
            "pin the new migrations: \(unpinned.map { file in "\"\(file)\": 0x\(String(Self.checksum((try? String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8)) ?? ""), radix: 16))" }.joined(separator: ", "))"
        )
    }
}
