import Foundation

/// What an ERP document does to the dealer's debt.
public enum LedgerEntryKind: String, Sendable, Codable, CaseIterable {
    /// Goods shipped (реализация): raises the debt.
    case shipment
    /// An invoice for services or other charges: raises the debt.
    case invoice
    /// Money received: lowers the debt.
    case payment
    /// Goods returned: lowers the debt.
    case `return`
    /// A correction either way (signed amount), always with a reason.
    case adjustment
}

/// One document of the receivables ledger, as the ERP sent it (its latest version).
public struct LedgerEntry: Sendable, Equatable {
    public var id: UUID
    public var dealerID: UUID
    /// The ERP's document id: re-sending it is idempotent.
    public var externalID: String
    public var kind: LedgerEntryKind
    public var documentNumber: String
    public var documentDate: CivilDate
    /// Positive for every kind but an adjustment, whose sign says which way it moves the debt.
    public var amount: Money
    /// When a debt falls due: the document date plus the dealer's payment term unless the ERP says.
    /// Only debts (shipments, invoices, positive adjustments) have one.
    public var dueDate: CivilDate?
    public var comment: String?
    public var reason: String?
    public var quantity: Decimal?
    public var productGroup: String?
    /// 1 when first stored, +1 with each correction.
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, dealerID: UUID, externalID: String, kind: LedgerEntryKind, documentNumber: String, documentDate: CivilDate,
        amount: Money, dueDate: CivilDate?, comment: String? = nil, reason: String? = nil, quantity: Decimal? = nil,
        productGroup: String? = nil, version: Int = 1, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.dealerID = dealerID
        self.externalID = externalID
        self.kind = kind
        self.documentNumber = documentNumber
        self.documentDate = documentDate
        self.amount = amount
        self.dueDate = dueDate
        self.comment = comment
        self.reason = reason
        self.quantity = quantity
        self.productGroup = productGroup
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The change to the dealer's debt in minor units: positive raises it, negative lowers it.
    public var debtEffect: Int64 {
        switch kind {
        case .shipment, .invoice: amount.minorUnits
        case .payment, .return: -amount.minorUnits
        case .adjustment: amount.minorUnits
        }
    }

    /// The same document content (what idempotency compares; ids and times aside).
    public func sameContent(as other: LedgerEntry) -> Bool {
        kind == other.kind && documentNumber == other.documentNumber && documentDate == other.documentDate
            && amount == other.amount && dueDate == other.dueDate && comment == other.comment && reason == other.reason
            && quantity == other.quantity && productGroup == other.productGroup
    }
}
