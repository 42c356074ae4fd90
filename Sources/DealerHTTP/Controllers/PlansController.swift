import DealerCore
import DealerStore
import Foundation
import Hummingbird

/// Sales plans: a dealer's month, the yearly file for every dealer, and plan against fact.
struct PlansController {
    let store: Store
    let settings: APISettings

    var routes: [APIRoute] {
        [
            APIRoute(.put, "/v1/dealers/{id}/plans/{period}", .roles(.salesStaff)) { request, context in
                let dealerID = try context.uuidParameter(entity: "dealer")
                let text = context.parameters.get("period") ?? ""
                guard let period = PlanPeriod(parsing: text), case .month = period.kind else {
                    throw ValidationError(field: "period", "a month such as 2026-10 (got \(text))")
                }
                let body = try await JSONBody.decode(PlanRequest.self, from: request, limit: settings.maxBodyBytes)
                let plan = try await store.setPlan(
                    dealerID: dealerID, period: period, SalesPlanDraft(amount: body.amount?.text, quantity: body.quantity?.text),
                    currency: settings.credit.currency, by: try context.caller)
                return try JSONBody.response(plan)
            },
            APIRoute(.get, "/v1/dealers/{id}/plans", .roles(.staff)) { request, context in
                let dealerID = try context.uuidParameter(entity: "dealer")
                let year = try QueryParameters(request: request).int("year") ?? store.calendar.today.year
                guard (1900...9999).contains(year) else { throw ValidationError(field: "year", "a year such as 2026") }
                return try JSONBody.response(ListResponse(items: try await store.plans(dealerID: dealerID, year: year), nextCursor: nil))
            },
            APIRoute(.post, "/v1/plans/import", .roles(.salesStaff)) { request, context in
                let options = try LedgerImportController.options(from: request)
                let bytes = try await LedgerImportController.fileBytes(of: request, limit: settings.maxImportBytes)
                let file: PlanCSV
                do {
                    file = try PlanCSV(bytes: bytes, encoding: options.encoding)
                } catch let error as LedgerCSV.FileError {
                    throw ValidationError(field: error.field, error.message)
                }
                let report = try await store.importPlans(
                    file, currency: settings.credit.currency, dryRun: options.dryRun, visibility: context.visibility, by: try context.caller)
                guard report.rejected.isEmpty else {
                    throw ValidationError(report.rejected.map { FieldIssue(field: "line \($0.line): \($0.field)", message: $0.message) })
                }
                return try JSONBody.response(report)
            },
            APIRoute(.get, "/v1/plans/fulfillment", .roles([.admin, .manager, .accountant, .viewer])) { request, context in
                let query = QueryParameters(request: request)
                let today = store.calendar.today
                let period: PlanPeriod
                if let text = query.string("period") {
                    guard let parsed = PlanPeriod(parsing: text) else {
                        throw ValidationError(field: "period", "a month (2026-10), a quarter (2026-Q4) or a year (2026)")
                    }
                    period = parsed
                } else {
                    period = PlanPeriod.month(of: today)
                }
                let report = try await store.planFulfillment(
                    period: period, groupBy: try query.oneOf("group_by", PlanGrouping.self) ?? .dealer, today: today,
                    currency: settings.credit.currency, minElapsedDays: settings.plans.minElapsedDays, visibility: context.visibility)
                return try JSONBody.response(report)
            },
        ]
    }
}

struct PlanRequest: Decodable {
    /// Exact amounts as strings ("1500000.00") or whole numbers, as for ledger entries.
    var amount: AmountText?
    var quantity: AmountText?
}
