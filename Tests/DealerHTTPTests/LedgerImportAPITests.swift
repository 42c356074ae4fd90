import DealerCore
import DealerTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import dealerd

@Suite("Importing CSV exports through the API")
struct LedgerImportAPITests {
    /// A month of documents as 1C on Russian Windows saves them: Windows-1251, `;`, decimal commas,
    /// Russian headers and kinds, a column dealerd does not know.
    static func windows1251Export() -> [UInt8] {
        let lines = [
            "Код дилера;Ид документа;Вид;Номер;Дата;Сумма;Валюта;Срок оплаты;Контрагент",
            "IMP-1;1C-0001;Отгрузка;РН-1;01.10.2026;125 000,50;RUB;;Альфа",
            "IMP-1;1C-0002;Отгрузка;РН-2;10.10.2026;74 999,50;RUB;20.10.2026;Альфа",
            "IMP-1;1C-0003;Оплата;ПП-1;15.10.2026;50 000,00;RUB;;Альфа",
            "IMP-2;1C-0004;Отгрузка;РН-3;12.10.2026;1 000 000;RUB;;Бета",
            "IMP-2;1C-0005;Возврат;ВК-1;14.10.2026;100 000;RUB;;Бета",
            "IMP-2;1C-0006;Отгрузка;РН-4;14.10.2026;сто рублей;RUB;;Бета",
            "IMP-9;1C-0007;Отгрузка;РН-5;14.10.2026;100;RUB;;Нет такого",
            "IMP-1;1C-0008;Отгрузка;РН-6;14.10.2026;100;USD;;Альфа",
        ]
        return ImportTestEncoding.windows1251(lines.joined(separator: "\r\n") + "\r\n")
    }

    func makeDealers(_ api: APIHarness) async throws -> [String: String] {
        var ids: [String: String] = [:]
        for (index, code) in ["IMP-1", "IMP-2"].enumerated() {
            let dealer = try await api.call(
                .post, "/v1/dealers", as: .manager, json: dealerJSON(code: code, name: code, taxID: KnownINN.organisations[index]))
            ids[code] = try #require(dealer.json["id"]?.stringValue)
        }
        return ids
    }

    func upload(
        _ api: APIHarness, _ bytes: [UInt8], query: String = "", type: String = "text/csv; charset=windows-1251"
    ) async throws
        -> APIHarness.Reply
    {
        try await api.client.execute(
            uri: "/v1/ledger/import" + query, method: .post,
            headers: [.authorization: "Bearer \(api.keys[.integration]!)", .contentType: type], body: ByteBuffer(bytes: bytes)
        ) { response in
            APIHarness.Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
    }

    @Test(arguments: Backend.available)
    func aWindows1251ExportIsStoredLineByLineAndBalancesMatchTheFile(_ backend: Backend) async throws {
        try await APIHarness.run(backend) { api in
            let ids = try await makeDealers(api)

            let dry = try await upload(api, Self.windows1251Export(), query: "?dry_run=true")
            #expect(dry.status == .ok)
            #expect(dry.json["dry_run"] == .bool(true) && dry.json["created"] == .number(5) && dry.json["rejected_lines"] == .number(3))
            let untouched = try await api.call(.get, "/v1/dealers/\(ids["IMP-1"]!)/ledger")
            #expect(untouched.json["items"]?.array.isEmpty == true, "a dry run writes nothing")

            let imported = try await upload(api, Self.windows1251Export())
            #expect(imported.status == .ok)
            #expect(imported.json["encoding"] == .string("windows-1251") && imported.json["separator"] == .string(";"))
            #expect(imported.json["lines"] == .number(8) && imported.json["created"] == .number(5))
            #expect(imported.json["ignored_columns"] == .array([.string("Контрагент")]))
            let rejected = imported.json["rejected"]?.array.map { "\($0["line"] ?? .null) \($0["field"]?.stringValue ?? "")" }
            #expect(rejected == [#"number(7) amount"#, #"number(8) dealer_code"#, #"number(9) currency"#])

            // The projection equals an independent sum of the file's accepted lines.
            let first = try await api.call(.get, "/v1/dealers/\(ids["IMP-1"]!)/receivables")
            #expect(first.json["balance"] == .string("150000.00"), "125 000,50 + 74 999,50 − 50 000,00")
            let second = try await api.call(.get, "/v1/dealers/\(ids["IMP-2"]!)/receivables")
            #expect(second.json["balance"] == .string("900000.00"))
            let ledger = try await api.call(.get, "/v1/dealers/\(ids["IMP-1"]!)/ledger")
            #expect(ledger.json["items"]?.array.first(where: { $0["external_id"] == .string("1C-0002") })?["due_date"] == .string("2026-10-20"))

            let again = try await upload(api, Self.windows1251Export())
            #expect(again.json["created"] == .number(0) && again.json["unchanged"] == .number(5), "importing the same file twice changes nothing")

            // A fixed file changing a stored document is refused, not overwritten: corrections are explicit.
            let changed = ImportTestEncoding.windows1251(
                "Код дилера;Ид документа;Вид;Номер;Дата;Сумма\r\nIMP-1;1C-0001;Отгрузка;РН-1;01.10.2026;1,00\r\n")
            let conflict = try await upload(api, changed)
            #expect(conflict.json["rejected"]?.array.first?["message"]?.stringValue?.contains("stored with other content") == true)
            #expect(try await api.call(.get, "/v1/dealers/\(ids["IMP-1"]!)/receivables").json["balance"] == .string("150000.00"))
        }
    }

    @Test(arguments: Backend.available)
    func aUTF8ExcelFileWithBOMAndCommasImportsByDealerId(_ backend: Backend) async throws {
        try await APIHarness.run(backend) { api in
            let ids = try await makeDealers(api)
            let text = """
                \u{FEFF}dealer_id,external_id,kind,document_number,document_date,amount,reason,comment
                \(ids["IMP-2"]!),X-1,invoice,СЧ-1,2026-11-01,"1 500,25",,"счёт, с запятой"
                \(ids["IMP-2"]!),X-2,adjustment,КОР-1,2026-11-02,"-0,25",округление,

                """
            let imported = try await upload(api, Array(text.utf8), type: "text/csv")
            #expect(imported.json["encoding"] == .string("utf-8") && imported.json["separator"] == .string(","))
            #expect(imported.json["created"] == .number(2) && imported.json["rejected"] == .array([]))
            let receivables = try await api.call(.get, "/v1/dealers/\(ids["IMP-2"]!)/receivables")
            #expect(receivables.json["balance"] == .string("1500.00"))
        }
    }

    @Test(arguments: Backend.available)
    func unreadableFilesAndWrongRequestsAreClearProblems(_ backend: Backend) async throws {
        try await APIHarness.run(backend, configure: { $0.maxImportBytes = 2048 }) { api in
            let json = try await upload(api, Array(#"{"entries": []}"#.utf8), type: "application/json")
            #expect(json.status == .unsupportedMediaType)
            let noHeader = try await upload(api, Array("amount;kind\n5;shipment\n".utf8))
            #expect(noHeader.status == .unprocessableContent)
            #expect(noHeader.json["invalid_params"]?.array.first?["name"] == .string("header"))
            let open = try await upload(api, Array("dealer_code;external_id;kind;document_number;document_date;amount\nA;\"1\n".utf8))
            #expect(open.status == .unprocessableContent)
            #expect(open.json["detail"]?.stringValue?.contains("line 2: a quoted field is never closed") == true)
            let big = try await upload(api, Array(repeating: UInt8(ascii: "a"), count: 4096))
            #expect(big.status == .contentTooLarge)
            let encoding = try await upload(api, Array("x".utf8), query: "?encoding=koi8-r")
            #expect(encoding.status == .unprocessableContent && encoding.json["invalid_params"]?.array.first?["name"] == .string("encoding"))
            let viewer = try await api.call(.post, "/v1/ledger/import", as: .viewer, json: "{}")
            #expect(viewer.status == .forbidden)
        }
    }
}

/// Windows-1251 bytes of text, written with the table Python's codec uses, so the test does not
/// trust the decoder it checks.
enum ImportTestEncoding {
    static func windows1251(_ text: String) -> [UInt8] {
        text.unicodeScalars.map { scalar in
            switch scalar.value {
            case 0..<0x80: UInt8(scalar.value)
            case 0x0410...0x044F: UInt8(scalar.value - 0x0410 + 0xC0)
            case 0x0401: 0xA8
            case 0x0451: 0xB8
            case 0x2116: 0xB9
            case 0xA0: 0xA0
            default: UInt8(ascii: "?")
            }
        }
    }
}
