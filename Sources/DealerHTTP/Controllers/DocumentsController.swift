import DealerCore
import DealerStore
import Foundation
import Hummingbird

/// `/v1/dealers/{id}/documents`: the documents on a dealer's file, which accreditation requires.
struct DocumentsController {
    let store: Store
    let maxBodyBytes: Int

    var routes: [APIRoute] {
        [
            APIRoute(.post, "/v1/dealers/{id}/documents", .roles(.salesStaff)) { request, context in
                let body = try await JSONBody.decode(DocumentRequest.self, from: request, limit: maxBodyBytes)
                let document = try await store.addDocument(
                    dealerID: try context.uuidParameter(entity: "dealer"), body.draft, by: try context.caller)
                return try JSONBody.response(document, status: .created)
            },
            APIRoute(.get, "/v1/dealers/{id}/documents", .roles(.staff)) { request, context in
                let page = try await store.documents(
                    dealerID: try context.uuidParameter(entity: "dealer"), page: try QueryParameters.page(of: request))
                return try JSONBody.response(ListResponse(items: page.items, nextCursor: page.nextCursor))
            },
            APIRoute(.put, "/v1/dealers/{id}/documents/{document_id}", .roles(.salesStaff)) { request, context in
                let body = try await JSONBody.decode(DocumentRequest.self, from: request, limit: maxBodyBytes)
                let document = try await store.replaceDocument(
                    dealerID: try context.uuidParameter(entity: "dealer"),
                    documentID: try context.uuidParameter("document_id", entity: "document"), body.draft, by: try context.caller)
                return try JSONBody.response(document)
            },
        ]
    }
}

struct DocumentRequest: Decodable {
    var kind: String?
    var number: String?
    var issued: String?
    var expires: String?
    var note: String?

    var draft: DealerDocumentDraft {
        DealerDocumentDraft(kind: kind, number: number, issued: issued, expires: expires, note: note)
    }
}
