import Foundation

extension PaymentPromise: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, currency, amount, date, note, status, paid
        case dealerID = "dealer_id"
        case madeOn = "made_on"
        case madeBy = "made_by"
        case settledAt = "settled_at"
        case createdAt = "created_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.lowercased, forKey: .id)
        try container.encode(dealerID.lowercased, forKey: .dealerID)
        try container.encode(amount.currency.code, forKey: .currency)
        try container.encode(amount.decimalString, forKey: .amount)
        try container.encode(promisedOn.iso, forKey: .date)
        try container.encode(madeOn.iso, forKey: .madeOn)
        try container.encode(note, forKey: .note)
        try container.encode(madeBy, forKey: .madeBy)
        try container.encode(status.rawValue, forKey: .status)
        try container.encode(paid?.decimalString, forKey: .paid)
        try container.encode(settledAt, forKey: .settledAt)
        try container.encode(createdAt, forKey: .createdAt)
    }
}
