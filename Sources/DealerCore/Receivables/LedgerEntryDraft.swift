import Foundation

/// A ledger document as the ERP sends it, before it is checked. Field paths in errors are prefixed
/// with `prefix` (e.g. `entries[12].`) so a batch names the entry at fault.
public struct LedgerEntryDraft: Sendable, Equatable {
    public var externalID: String?
    public var kind: String?
    public var documentNumber: String?
    public var documentDate: String?
    public var amount: String?
    public var currency: String?
    public var dueDate: String?
    public var comment: String?
    public var reason: String?
    public var quantity: String?
    public var productGroup: String?

    public init(
        externalID: String? = nil, kind: String? = nil, documentNumber: String? = nil, documentDate: String? = nil,
        amount: String? = nil, currency: String? = nil, dueDate: String? = nil, comment: String? = nil, reason: String? = nil,
        quantity: String? = nil, productGroup: String? = nil
    ) {
        self.externalID = externalID
        self.kind = kind
        self.documentNumber = documentNumber
        self.documentDate = documentDate
        self.amount = amount
        self.currency = currency
        self.dueDate = dueDate
        self.comment = comment
        self.reason = reason
        self.quantity = quantity
        self.productGroup = productGroup
    }

    /// The entry for a dealer whose contract is in `currency` with `paymentTermDays` to pay.
    public func validated(
        id: UUID, dealerID: UUID, currency contractCurrency: Currency, paymentTermDays: Int, now: Date, prefix: String = ""
    ) throws(ValidationError) -> LedgerEntry {
        var issues = ValidationCollector()
        func field(_ name: String) -> String { prefix + name }
        let externalID = externalID?.trimmedNonEmpty
        if externalID == nil { issues.add(field("external_id"), "required: the ERP's document id") }
        if let externalID, externalID.count > 200 { issues.add(field("external_id"), "at most 200 characters") }
        let kind = kind.flatMap(LedgerEntryKind.init(rawValue:))
        if kind == nil {
            issues.add(field("kind"), "one of: \(LedgerEntryKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let number = documentNumber?.trimmedNonEmpty
        if number == nil { issues.add(field("document_number"), "required") }
        let date = documentDate.flatMap(CivilDate.init(parsing:))
        if date == nil { issues.add(field("document_date"), "required: a date such as 2026-11-25 or 25.11.2026") }
        if let code = currency?.trimmedNonEmpty, code.uppercased() != contractCurrency.code {
            issues.add(field("currency"), "the dealer's contract is in \(contractCurrency.code), not \(code.uppercased())")
        }
        var money: Money?
        if let text = amount?.trimmedNonEmpty {
            do {
                money = try Money(parsing: text, currency: contractCurrency)
            } catch {
                issues.add(field("amount"), error.description)
            }
        } else {
            issues.add(field("amount"), "required: a decimal amount such as 125000.50")
        }
        if let money, let kind {
            if kind == .adjustment {
                if money.isZero { issues.add(field("amount"), "an adjustment moves the debt: not zero") }
            } else if money.minorUnits <= 0 {
                issues.add(field("amount"), "positive: the kind says which way it moves the debt (an adjustment is signed)")
            }
        }
        let reason = reason?.trimmedNonEmpty
        if kind == .adjustment && reason == nil { issues.add(field("reason"), "required for an adjustment") }
        var due: CivilDate?
        if let text = dueDate?.trimmedNonEmpty {
            due = CivilDate(parsing: text)
            if due == nil { issues.add(field("due_date"), "a date such as 2026-12-25 or 25.12.2026") }
            if let due, let date, due < date { issues.add(field("due_date"), "before the document date") }
        }
        var quantityValue: Decimal?
        if let text = quantity?.trimmedNonEmpty {
            quantityValue = Decimal(string: text.replacingOccurrences(of: ",", with: "."), locale: Locale(identifier: "en_US_POSIX"))
            if quantityValue == nil { issues.add(field("quantity"), "a number") }
            if kind != .shipment && kind != .return { issues.add(field("quantity"), "only shipments and returns have a quantity") }
        }
        let group = productGroup?.trimmedNonEmpty
        if group != nil && kind != .shipment && kind != .return {
            issues.add(field("product_group"), "only shipments and returns have a product group")
        }
        try issues.check()
        guard let money, let externalID, let kind, let number, let date else { throw issues.unreachable(field("document_date")) }
        let raisesDebt = money.minorUnits > 0 && (kind == .shipment || kind == .invoice || kind == .adjustment)
        return LedgerEntry(
            id: id, dealerID: dealerID, externalID: externalID, kind: kind, documentNumber: number, documentDate: date,
            amount: money, dueDate: raisesDebt ? (due ?? date.adding(days: paymentTermDays)) : nil,
            comment: comment?.trimmedNonEmpty, reason: reason, quantity: quantityValue, productGroup: group, version: 1,
            createdAt: now, updatedAt: now)
    }
}
