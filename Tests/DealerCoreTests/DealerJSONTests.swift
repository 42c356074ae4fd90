import DealerCore
import Foundation
import Testing

@Suite("JSON representation")
struct DealerJSONTests {
    @Test func dealerIsSnakeCaseWithLowercaseIdsAndMillisecondInstants() throws {
        let id = UUID(uuidString: "6F9619FF-8B86-D011-B42D-00C04FC964FF")!
        let at = Date(timeIntervalSince1970: 1_795_000_000.123)
        let dealer = Dealer(
            id: id, code: "D-1", name: "Альфа", legalName: "ООО «Альфа»", taxID: try TaxID("7707083893"),
            attributes: ["turnover": .number(Decimal(string: "30000000.00")!)], status: .prospect,
            statusChangedAt: at, createdAt: at, updatedAt: at)
        let json = DealerJSON.value(of: dealer)
        #expect(json["id"] == .string("6f9619ff-8b86-d011-b42d-00c04fc964ff"))
        #expect(json["tax_id"] == .string("7707083893"))
        #expect(json["legal_name"] == .string("ООО «Альфа»"))
        #expect(json["created_at"] == .string("2026-11-18T11:06:40.123Z"))
        #expect(json["kpp"] == .null)
        #expect(json["attributes"]?["turnover"] == .number(Decimal(30_000_000)))
    }

    @Test func attributeNumbersStayExact() throws {
        let decoded = try DealerJSON.decoder().decode(
            [String: AttributeValue].self, from: Data(#"{"a": 0.1, "b": true, "c": "x", "d": 12345678901234.56}"#.utf8))
        #expect(decoded["a"] == .number(Decimal(string: "0.1")!))
        #expect(decoded["b"] == .bool(true))
        #expect(decoded["c"] == .string("x"))
        #expect(decoded["d"] == .number(Decimal(string: "12345678901234.56")!))
    }
}
