import DealerCore
import DealerStore
import Foundation

/// An amount as JSON may carry it: a string ("125000.50", exact) or a whole number. A fractional
/// JSON number is refused: it may already have lost its exactness in the client.
struct AmountText: Decodable {
    var text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self.text = text
        } else if let whole = try? container.decode(Int64.self) {
            self.text = String(whole)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "send amounts as decimal strings such as \"125000.50\", not fractional numbers")
        }
    }
}

struct LedgerEntryRequest: Decodable {
    var dealerID: String?
    var dealerCode: String?
    var externalID: String?
    var kind: String?
    var documentNumber: String?
    var documentDate: String?
    var amount: AmountText?
    var currency: String?
    var dueDate: String?
    var comment: String?
    var reason: String?
    var quantity: AmountText?
    var productGroup: String?

    enum CodingKeys: String, CodingKey {
        case kind, amount, currency, comment, reason, quantity
        case dealerID = "dealer_id"
        case dealerCode = "dealer_code"
        case externalID = "external_id"
        case documentNumber = "document_number"
        case documentDate = "document_date"
        case dueDate = "due_date"
        case productGroup = "product_group"
    }

    var draft: LedgerEntryDraft {
        LedgerEntryDraft(
            externalID: externalID, kind: kind, documentNumber: documentNumber, documentDate: documentDate, amount: amount?.text,
            currency: currency, dueDate: dueDate, comment: comment, reason: reason, quantity: quantity?.text, productGroup: productGroup)
    }
}

struct LedgerBatchRequest: Decodable {
    var entries: [LedgerEntryRequest]?
}

struct CreditPolicyRequest: Decodable {
    var limit: AmountText?
    var currency: String?
    var paymentTermDays: Int?
    var graceDays: Int?
    var allowedOverdueDays: Int?
    var minimumOverdue: AmountText?
    var warningPercent: Int?
    var hardBlock: Bool?
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case limit, currency, reason
        case paymentTermDays = "payment_term_days"
        case graceDays = "grace_days"
        case allowedOverdueDays = "allowed_overdue_days"
        case minimumOverdue = "minimum_overdue"
        case warningPercent = "warning_percent"
        case hardBlock = "hard_block"
    }

    var draft: CreditPolicyDraft {
        CreditPolicyDraft(
            limit: limit?.text, currency: currency, paymentTermDays: paymentTermDays, graceDays: graceDays,
            allowedOverdueDays: allowedOverdueDays, minimumOverdue: minimumOverdue?.text, warningPercent: warningPercent,
            hardBlock: hardBlock, reason: reason)
    }
}

struct CreditCheckRequest: Decodable {
    var amount: AmountText?
    var openOrders: AmountText?

    enum CodingKeys: String, CodingKey {
        case amount
        case openOrders = "open_orders"
    }
}

/// A stored entry and what the write did with it.
struct LedgerWriteResponse: Encodable {
    var result: LedgerWriteResult

    enum CodingKeys: String, CodingKey { case outcome }

    func encode(to encoder: any Encoder) throws {
        try result.entry.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(result.outcome, forKey: .outcome)
    }
}

struct LedgerBatchResponse: Encodable {
    struct Item: Encodable {
        var index: Int
        var externalID: String
        var id: String
        var outcome: LedgerWriteOutcome

        enum CodingKeys: String, CodingKey {
            case index, id, outcome
            case externalID = "external_id"
        }
    }

    var created: Int
    var unchanged: Int
    var results: [Item]

    init(_ results: [LedgerWriteResult]) {
        self.created = results.filter { $0.outcome == .created }.count
        self.unchanged = results.filter { $0.outcome == .unchanged }.count
        self.results = results.enumerated().map {
            Item(index: $0.offset, externalID: $0.element.entry.externalID, id: $0.element.entry.id.lowercased, outcome: $0.element.outcome)
        }
    }
}

/// `GET /v1/dealers/{id}/receivables`.
struct ReceivablesResponse: Encodable {
    var receivables: DealerReceivables

    enum CodingKeys: String, CodingKey {
        case currency, balance, limit, available, overdue, ageing, policy
        case dealerID = "dealer_id"
        case asOf = "as_of"
        case utilizationPercent = "utilization_percent"
        case daysOverdue = "days_overdue"
        case oldestOverdueDueDate = "oldest_overdue_due_date"
        case lastMovement = "last_movement"
        case openDocuments = "open_documents"
    }

    func encode(to encoder: any Encoder) throws {
        let position = receivables.position
        let currency = receivables.currency
        func money(_ minor: Int64) -> String { Money(minorUnits: minor, currency: currency).decimalString }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(receivables.dealerID.lowercased, forKey: .dealerID)
        try container.encode(currency.code, forKey: .currency)
        try container.encode(position.asOf.iso, forKey: .asOf)
        try container.encode(money(position.balance), forKey: .balance)
        let limit = receivables.policy?.limit.minorUnits
        try container.encode(limit.map(money), forKey: .limit)
        try container.encode(limit.flatMap { ExactShare.difference($0, position.balance) }.map(money), forKey: .available)
        try container.encode(limit.flatMap { ExactShare.percent(position.balance, of: $0) }, forKey: .utilizationPercent)
        try container.encode(money(position.overdue), forKey: .overdue)
        try container.encode(position.maxDaysOverdue, forKey: .daysOverdue)
        try container.encode(position.oldestOverdueDueDate?.iso, forKey: .oldestOverdueDueDate)
        try container.encode(position.lastMovement?.iso, forKey: .lastMovement)
        try container.encode(
            [
                "current": money(position.ageing.current), "days_1_30": money(position.ageing.days1to30),
                "days_31_60": money(position.ageing.days31to60), "days_61_90": money(position.ageing.days61to90),
                "over_90": money(position.ageing.over90),
            ], forKey: .ageing)
        try container.encode(position.openDocuments.map { OpenDocumentJSON(document: $0, currency: currency) }, forKey: .openDocuments)
        try container.encode(receivables.policy, forKey: .policy)
    }
}

struct OpenDocumentJSON: Encodable {
    var document: OpenDocument
    var currency: Currency

    enum CodingKeys: String, CodingKey {
        case kind, amount, open
        case externalID = "external_id"
        case documentNumber = "document_number"
        case documentDate = "document_date"
        case dueDate = "due_date"
        case daysOverdue = "days_overdue"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(document.externalID, forKey: .externalID)
        try container.encode(document.kind, forKey: .kind)
        try container.encode(document.documentNumber, forKey: .documentNumber)
        try container.encode(document.documentDate.iso, forKey: .documentDate)
        try container.encode(document.dueDate.iso, forKey: .dueDate)
        try container.encode(Money(minorUnits: document.amount, currency: currency).decimalString, forKey: .amount)
        try container.encode(Money(minorUnits: document.open, currency: currency).decimalString, forKey: .open)
        try container.encode(document.daysOverdue, forKey: .daysOverdue)
    }
}

struct ReceivablesListResponse: Encodable {
    var items: [ReceivablesLine]
    var totals: [ReceivablesTotal]
    var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case items, totals
        case nextCursor = "next_cursor"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(totals, forKey: .totals)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
