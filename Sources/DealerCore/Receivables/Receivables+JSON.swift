import Foundation

extension LedgerEntry: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, kind, amount, currency, comment, reason, quantity, version
        case dealerID = "dealer_id"
        case externalID = "external_id"
        case documentNumber = "document_number"
        case documentDate = "document_date"
        case dueDate = "due_date"
        case productGroup = "product_group"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.lowercased, forKey: .id)
        try container.encode(dealerID.lowercased, forKey: .dealerID)
        try container.encode(externalID, forKey: .externalID)
        try container.encode(kind, forKey: .kind)
        try container.encode(documentNumber, forKey: .documentNumber)
        try container.encode(documentDate.iso, forKey: .documentDate)
        try container.encode(amount.decimalString, forKey: .amount)
        try container.encode(amount.currency.code, forKey: .currency)
        try container.encode(dueDate?.iso, forKey: .dueDate)
        try container.encode(comment, forKey: .comment)
        try container.encode(reason, forKey: .reason)
        try container.encode(quantity.map { "\($0)" }, forKey: .quantity)
        try container.encode(productGroup, forKey: .productGroup)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

extension LedgerEntry {
    /// The entry as `DealerJSON.string(of:)` writes it, byte for byte, without JSONEncoder: every
    /// ledger write stores one per document, and the encoder is most of a batch's CPU time.
    public var jsonText: String {
        func string(_ text: String?) -> String {
            guard let text else { return "null" }
            var escaped = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": escaped += "\\\""
                case "\\": escaped += "\\\\"
                case "\n": escaped += "\\n"
                case "\r": escaped += "\\r"
                case "\t": escaped += "\\t"
                case "\u{08}": escaped += "\\b"
                case "\u{0C}": escaped += "\\f"
                case _ where scalar.value < 0x20: escaped += "\\u" + String(scalar.value, radix: 16).zeroPaddedHex(4)
                default: escaped.unicodeScalars.append(scalar)
                }
            }
            return escaped + "\""
        }
        let fields: [(String, String)] = [
            ("amount", string(amount.decimalString)), ("comment", string(comment)), ("created_at", string(Timestamp.format(createdAt))),
            ("currency", string(amount.currency.code)), ("dealer_id", string(dealerID.lowercased)),
            ("document_date", string(documentDate.iso)), ("document_number", string(documentNumber)), ("due_date", string(dueDate?.iso)),
            ("external_id", string(externalID)), ("id", string(id.lowercased)), ("kind", string(kind.rawValue)),
            ("product_group", string(productGroup)), ("quantity", string(quantity.map { "\($0)" })), ("reason", string(reason)),
            ("updated_at", string(Timestamp.format(updatedAt))), ("version", String(version)),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}

extension String {
    fileprivate func zeroPaddedHex(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

extension CreditPolicy: Encodable {
    enum CodingKeys: String, CodingKey {
        case limit, currency
        case paymentTermDays = "payment_term_days"
        case graceDays = "grace_days"
        case allowedOverdueDays = "allowed_overdue_days"
        case minimumOverdue = "minimum_overdue"
        case warningPercent = "warning_percent"
        case hardBlock = "hard_block"
        case source, segment
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(segment == nil ? "dealer" : "segment", forKey: .source)
        try container.encodeIfPresent(segment, forKey: .segment)
        try container.encode(limit.decimalString, forKey: .limit)
        try container.encode(currency.code, forKey: .currency)
        try container.encode(paymentTermDays, forKey: .paymentTermDays)
        try container.encode(graceDays, forKey: .graceDays)
        try container.encode(allowedOverdueDays, forKey: .allowedOverdueDays)
        try container.encode(minimumOverdue.decimalString, forKey: .minimumOverdue)
        try container.encode(warningPercent, forKey: .warningPercent)
        try container.encode(hardBlock, forKey: .hardBlock)
    }
}

extension CreditCheck: Encodable {
    enum CodingKeys: String, CodingKey {
        case decision, reasons, balance, requested, exposure, limit, overdue, currency
        case openOrders = "open_orders"
        case availableAfter = "available_after"
        case daysOverdue = "days_overdue"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(decision, forKey: .decision)
        try container.encode(reasons, forKey: .reasons)
        try container.encode(requested.currency.code, forKey: .currency)
        try container.encode(balance.decimalString, forKey: .balance)
        try container.encode(openOrders.decimalString, forKey: .openOrders)
        try container.encode(requested.decimalString, forKey: .requested)
        try container.encode(exposure.decimalString, forKey: .exposure)
        try container.encode(limit?.decimalString, forKey: .limit)
        try container.encode(availableAfter?.decimalString, forKey: .availableAfter)
        try container.encode(overdue.decimalString, forKey: .overdue)
        try container.encode(daysOverdue, forKey: .daysOverdue)
    }
}
