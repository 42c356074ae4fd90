import DealerCore
import Testing

@Suite("INN and KPP")
struct TaxIDTests {
    @Test(arguments: ["7707083893", "7736050003", "7830002293", "500100732259", "526317984689"])
    func acceptsRealNumbersWithCorrectCheckDigits(_ inn: String) throws {
        let taxID = try TaxID(inn)
        #expect(taxID.value == inn)
        #expect(taxID.isOrganisation == (inn.count == 10))
    }

    @Test func rejectsATypoByItsCheckDigit() {
        #expect(throws: TaxID.Problem.badChecksum) { try TaxID("7707083894") }
        #expect(throws: TaxID.Problem.badChecksum) { try TaxID("500100732258") }
    }

    @Test func rejectsWrongLengthsAndNonDigits() {
        #expect(throws: TaxID.Problem.wrongLength(9)) { try TaxID("770708389") }
        #expect(throws: TaxID.Problem.wrongLength(11)) { try TaxID("77070838931") }
        #expect(throws: TaxID.Problem.notDigits) { try TaxID("77070838A3") }
        #expect(throws: TaxID.Problem.notDigits) { try TaxID("") }
        #expect(throws: TaxID.Problem.notDigits) { try TaxID("７７０７０８３８９３") }
    }

    @Test func kppHasFourDigitsTwoDigitsOrCapitalsAndThreeDigits() {
        #expect(KPP.isValid("773601001"))
        #expect(KPP.isValid("7736AB001"))
        #expect(!KPP.isValid("7736ab001"))
        #expect(!KPP.isValid("77360100"))
        #expect(!KPP.isValid("A73601001"))
    }
}
