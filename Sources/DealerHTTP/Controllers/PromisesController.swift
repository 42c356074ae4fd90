import DealerCore
import DealerStore
import Foundation
import Hummingbird

/// `/v1/dealers/{id}/promises` and `/v1/dealers/{id}/dunning`: the promises to pay a manager records,
/// which pause the dealer's payment reminders, and the reminders sent.
struct PromisesController {
    let store: Store
    let settings: APISettings

    var routes: [APIRoute] {
        [
            APIRoute(.post, "/v1/dealers/{id}/promises", .roles(.creditOfficers)) { request, context in
                let body = try await JSONBody.decode(PromiseRequest.self, from: request, limit: settings.maxBodyBytes)
                let promise = try await store.recordPromise(
                    dealerID: try context.uuidParameter(entity: "dealer"),
                    PaymentPromiseDraft(amount: body.amount?.text, date: body.date, note: body.note), defaults: settings.credit,
                    settings: settings.dunning, by: try context.caller)
                return try JSONBody.response(promise, status: .created)
            },
            APIRoute(.get, "/v1/dealers/{id}/promises", .roles(.staff)) { request, context in
                let page = try await store.promises(
                    dealerID: try context.uuidParameter(entity: "dealer"), page: try QueryParameters.page(of: request))
                return try JSONBody.response(ListResponse(items: page.items, nextCursor: page.nextCursor))
            },
            APIRoute(.post, "/v1/dealers/{id}/promises/{promise_id}/cancel", .roles(.creditOfficers)) { _, context in
                let promise = try await store.cancelPromise(
                    dealerID: try context.uuidParameter(entity: "dealer"),
                    promiseID: try context.uuidParameter("promise_id", entity: "promise"), by: try context.caller)
                return try JSONBody.response(promise)
            },
            APIRoute(.get, "/v1/dealers/{id}/dunning", .roles(.staff)) { _, context in
                try JSONBody.response(try await store.dunning(dealerID: try context.uuidParameter(entity: "dealer"), settings: settings.dunning))
            },
        ]
    }
}

/// `POST /v1/dealers/{id}/promises`: the sum, the day it is promised by, and a note.
struct PromiseRequest: Decodable {
    var amount: AmountText?
    var date: String?
    var note: String?
}
