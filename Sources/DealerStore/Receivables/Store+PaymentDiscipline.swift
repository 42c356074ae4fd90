import DealerCore
import Foundation
import SQLKit

/// A dealer's payment discipline as the API and the CLI show it: Core's figures over its ledger,
/// with the dealer named and amounts in the currency of its credit terms.
public struct DealerPaymentDiscipline: Sendable, Equatable {
    public var dealerID: UUID
    public var code: String
    public var name: String
    public var currency: Currency
    public var discipline: PaymentDiscipline
}

extension Store {
    /// DSO and days late of one dealer from `from` to `to`, in total and by month
    /// (`PaymentDiscipline`). Reads the dealer's whole ledger: the FIFO that says which debt a
    /// payment settled starts at its first document.
    public func paymentDiscipline(
        dealerID: UUID, from: CivilDate, to: CivilDate, defaults: CreditDefaults
    ) async throws -> DealerPaymentDiscipline {
        try await database.read { sql in
            guard let dealer = try await sql.raw("SELECT code, name FROM dealers WHERE id = \(bind: dealerID)").first() else {
                throw DomainError.notFound(entity: "dealer", id: dealerID.lowercased)
            }
            let policy = try await Self.fetchCreditPolicy(dealerID: dealerID, on: sql)
            let entries = try await Self.fetchLedgerEntries(dealerID: dealerID, on: sql)
            return DealerPaymentDiscipline(
                dealerID: dealerID, code: try dealer.decode(column: "code", as: String.self),
                name: try dealer.decode(column: "name", as: String.self),
                currency: policy?.currency ?? defaults.currency, discipline: PaymentDiscipline.compute(entries, from: from, to: to))
        }
    }
}
