import DealerCore
import DealerStore
import Foundation
import Hummingbird

/// Shipment rhythm: one dealer's, the list managers open in the morning, and a dealer's own interval.
struct RhythmController {
    let store: Store
    let settings: APISettings

    var routes: [APIRoute] {
        [
            APIRoute(.get, "/v1/dealers/{id}/rhythm", .roles(.staff)) { _, context in
                let rhythm = try await store.rhythm(
                    dealerID: try context.uuidParameter(entity: "dealer"), today: store.calendar.today, settings: settings.rhythm)
                return try JSONBody.response(rhythm)
            },
            APIRoute(.put, "/v1/dealers/{id}/rhythm", .roles(.salesStaff)) { request, context in
                let dealerID = try context.uuidParameter(entity: "dealer")
                let body = try await JSONBody.decode(RhythmIntervalRequest.self, from: request, limit: settings.maxBodyBytes)
                guard body.hasInterval else {
                    throw ValidationError(field: "interval_days", "required: days between shipments, or null to learn them from history")
                }
                try await store.setRhythmInterval(dealerID: dealerID, days: body.intervalDays, by: try context.caller)
                return try JSONBody.response(try await store.rhythm(dealerID: dealerID, today: store.calendar.today, settings: settings.rhythm))
            },
            APIRoute(.get, "/v1/rhythm", .roles(.staff)) { request, context in
                let query = QueryParameters(request: request)
                var (filter, limit) = try Self.listFilter(query)
                filter.visibility = context.visibility
                let page = try await store.rhythmPage(
                    today: store.calendar.today, settings: settings.rhythm, filter: filter, cursor: query.string("cursor"), limit: limit)
                return try JSONBody.response(ListResponse(items: page.items, nextCursor: page.nextCursor))
            },
        ]
    }

    /// The morning list's filters and page size, parsed apart from the awaiting handler (see
    /// `ReconciliationActsController.listQuery` for why).
    static func listFilter(_ query: QueryParameters) throws -> (RhythmFilter, Int) {
        let filter = RhythmFilter(
            status: try query.oneOf("status", RhythmAssessment.Status.self), managerID: try query.uuid("manager"), region: query.string("region"))
        return (filter, try query.limit())
    }
}

struct RhythmIntervalRequest: Decodable {
    var intervalDays: Int?
    /// `{"interval_days": null}` clears the interval; `{}` is a mistake.
    var hasInterval: Bool

    enum CodingKeys: String, CodingKey {
        case intervalDays = "interval_days"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        hasInterval = container.contains(.intervalDays)
        intervalDays = try container.decodeIfPresent(Int.self, forKey: .intervalDays)
    }
}

extension DealerRhythm: Encodable {
    enum CodingKeys: String, CodingKey {
        case code, name, region, segment, status, regularity, explanation
        case dealerID = "dealer_id"
        case managerID = "manager_id"
        case expectedInterval = "expected_interval_days"
        case source = "interval_source"
        case lastShipment = "last_shipment"
        case nextExpected = "next_expected"
        case daysSinceLast = "days_since_last"
        case daysLate = "days_late"
        case recentIntervals = "recent_intervals"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dealerID.lowercased, forKey: .dealerID)
        try container.encode(code, forKey: .code)
        try container.encode(name, forKey: .name)
        try container.encode(managerID?.lowercased, forKey: .managerID)
        try container.encode(region, forKey: .region)
        try container.encode(segment, forKey: .segment)
        try container.encode(assessment.status, forKey: .status)
        try container.encode(assessment.expectedInterval, forKey: .expectedInterval)
        try container.encode(assessment.source, forKey: .source)
        try container.encode(assessment.regularity, forKey: .regularity)
        try container.encode(assessment.lastShipment?.iso, forKey: .lastShipment)
        try container.encode(assessment.nextExpected?.iso, forKey: .nextExpected)
        try container.encode(assessment.daysSinceLast, forKey: .daysSinceLast)
        try container.encode(assessment.daysLate, forKey: .daysLate)
        try container.encode(assessment.recentIntervals, forKey: .recentIntervals)
        try container.encode(assessment.explanation, forKey: .explanation)
    }
}
