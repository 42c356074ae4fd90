import Foundation

/// What is known about an applicant: the card's attributes, region and segment, the documents on
/// file, and — when there is a dealer behind it — the territory and its payment history. Anything
/// absent is "no data", never a silent fail.
public struct AccreditationFacts: Sendable, Equatable {
    public var attributes: [String: AttributeValue]
    public var region: String?
    public var segment: String?
    /// Document kind → expiry (nil: does not expire). Nil as a whole: nothing is known of documents.
    public var documents: [String: CivilDate?]?
    /// Accredited dealers already in the applicant's region (and segment, per criterion), not counting it.
    public var accreditedInRegion: Int?
    public var accreditedInRegionAndSegment: Int?
    /// The most days any debt was overdue over the period the profile asks about.
    public var maxOverdueDays: Int?

    public init(
        attributes: [String: AttributeValue] = [:], region: String? = nil, segment: String? = nil, documents: [String: CivilDate?]? = nil,
        accreditedInRegion: Int? = nil, accreditedInRegionAndSegment: Int? = nil, maxOverdueDays: Int? = nil
    ) {
        self.attributes = attributes
        self.region = region
        self.segment = segment
        self.documents = documents
        self.accreditedInRegion = accreditedInRegion
        self.accreditedInRegionAndSegment = accreditedInRegionAndSegment
        self.maxOverdueDays = maxOverdueDays
    }

    /// A fact by name, for one-of criteria: the card's `region` and `segment`, else an attribute.
    func fact(_ name: String) -> AttributeValue? {
        switch name {
        case "region": region.map(AttributeValue.string)
        case "segment": segment.map(AttributeValue.string)
        default: attributes[name]
        }
    }
}
