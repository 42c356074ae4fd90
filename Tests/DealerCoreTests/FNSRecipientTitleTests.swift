import DealerCore
import Foundation
import Testing

/// The dealer's EDO answer is untrusted input: no document type declaration, and it applies only
/// to the act it names.
@Suite("Reading the dealer's EDO answer")
struct FNSRecipientTitleTests {
    static func example() throws -> String {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: "Tests/Fixtures/fns-reconciliation-act/example-recipient-title.xml"))
        return ImportText.decode(Array(bytes), as: .windows1251).text
    }

    static func bytes(_ text: String) throws -> Data {
        Data(try #require(try? ImportText.encodeWindows1251(text).get()))
    }

    @Test func aDocumentTypeDeclarationIsRefusedWhereverItStands() throws {
        let example = try Self.example()
        #expect(throws: Never.self, "the plain example reads") { _ = try FNSRecipientTitle(parsing: try Self.bytes(example)) }
        let comment = "<!--" + String(repeating: "x", count: 100_000) + "-->"
        let declared = example.replacingOccurrences(
            of: "<Файл", with: "\(comment)<!DOCTYPE Файл [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><Файл")
        do {
            _ = try FNSRecipientTitle(parsing: try Self.bytes(declared))
            Issue.record("a DOCTYPE after 100 KB of comment was accepted")
        } catch let problem as FNSRecipientTitle.Problem {
            #expect(problem.message.contains("<!DOCTYPE"))
        }
    }

    @Test func anAnswerAppliesOnlyToTheActItNames() throws {
        let example = try Self.example()
        let act = UUID()
        // The FNS example answers a file that is not one of ours: it names no act.
        let foreign = try FNSRecipientTitle(parsing: try Self.bytes(example))
        #expect(throws: FNSRecipientTitle.Problem.self) { try foreign.check(answers: act) }
        let sentID = try #require(example.firstRange(of: #"ИдФайлИнфОтпр=""#).map { example[$0.upperBound...].prefix { $0 != "\"" } })
        let ours = try FNSRecipientTitle(
            parsing: try Self.bytes(example.replacingOccurrences(of: String(sentID), with: "ON_AKTSVEROTP_A_B_20261125_\(act.uuidString)")))
        try ours.check(answers: act)
        #expect(throws: FNSRecipientTitle.Problem.self) { try ours.check(answers: UUID()) }
    }
}
