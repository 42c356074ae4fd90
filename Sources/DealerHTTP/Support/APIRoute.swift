import DealerCore
import Foundation
import HTTPTypes
import Hummingbird

/// One route of the API: its method, its path as the OpenAPI document writes it, and who may call it.
/// The route table is the single source for registration, authorization and the contract test.
public struct APIRoute: Sendable {
    public enum Access: Sendable, Equatable {
        /// No key needed: health, metrics, the contract.
        case open
        /// A key with one of these roles.
        case roles(Set<Role>)
    }

    /// How a route open to dealer keys knows whose its resource is.
    public enum DealerScope: Sendable, Equatable {
        /// The path's `{id}` is the dealer: the authenticator checks it.
        case pathID
        /// The resource names its dealer (an act): the handler checks, and another dealer's is a 404.
        case resource
    }

    public let method: HTTPRequest.Method
    /// `/v1/dealers/{id}`
    public let path: String
    public let access: Access
    public let dealerScope: DealerScope
    let handler: @Sendable (Request, APIContext) async throws -> Response

    init(
        _ method: HTTPRequest.Method, _ path: String, _ access: Access, dealerScope: DealerScope = .pathID,
        handler: @escaping @Sendable (Request, APIContext) async throws -> Response
    ) {
        self.method = method
        self.path = path
        self.access = access
        self.dealerScope = dealerScope
        self.handler = handler
    }

    /// The path in Hummingbird's form: `/v1/dealers/:id`.
    var routerPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : segment
        }.joined(separator: "/")
    }
}

/// Roles that commonly go together.
extension Set where Element == Role {
    /// Those who run the dealer network day to day.
    static let salesStaff: Set<Role> = [.admin, .manager]
    /// Those who may change dealer cards: sales staff and the ERP.
    static let dealerWriters: Set<Role> = [.admin, .manager, .integration]
    static let adminOnly: Set<Role> = [.admin]
    /// Those who write the receivables ledger: the ERP and accountants.
    static let ledgerWriters: Set<Role> = [.admin, .accountant, .integration]
    /// Those who set a dealer's credit terms.
    static let creditOfficers: Set<Role> = [.admin, .manager, .accountant]
    /// Staff, and the dealer itself for its own position (the route's `{id}` must be its dealer).
    static let staffOrOwnDealer: Set<Role> = Set<Role>.staff.union([.dealer])
    /// Those who ask before shipping.
    static let shippers: Set<Role> = [.admin, .manager, .integration]
}
