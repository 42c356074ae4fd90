import Foundation

/// A dealer: a company that buys from us and resells in its region.
public struct Dealer: Sendable, Equatable, Decodable {
    public var id: UUID
    /// The ERP's code for this counterparty; unique.
    public var code: String
    public var name: String
    public var legalName: String
    public var taxID: TaxID
    public var kpp: String?
    public var region: String?
    public var city: String?
    public var segment: String?
    public var managerID: UUID?
    /// The service specialist who keeps its documents and reconciliation acts; a manager of sales role `service`.
    public var serviceSpecialistID: UUID?
    public var contacts: [Contact]
    public var attributes: [String: AttributeValue]
    public var status: DealerStatus
    public var statusReason: String?
    public var statusChangedAt: Date
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, code: String, name: String, legalName: String, taxID: TaxID, kpp: String? = nil,
        region: String? = nil, city: String? = nil, segment: String? = nil, managerID: UUID? = nil,
        serviceSpecialistID: UUID? = nil, contacts: [Contact] = [], attributes: [String: AttributeValue] = [:], status: DealerStatus,
        statusReason: String? = nil, statusChangedAt: Date, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.code = code
        self.name = name
        self.legalName = legalName
        self.taxID = taxID
        self.kpp = kpp
        self.region = region
        self.city = city
        self.segment = segment
        self.managerID = managerID
        self.serviceSpecialistID = serviceSpecialistID
        self.contacts = contacts
        self.attributes = attributes
        self.status = status
        self.statusReason = statusReason
        self.statusChangedAt = statusChangedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
