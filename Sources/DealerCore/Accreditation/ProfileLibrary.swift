import Foundation
import Synchronization

/// The accreditation profiles in force, replaceable while the service runs (`POST /v1/profiles/reload`,
/// SIGHUP). A reload that finds a broken profile changes nothing: the last good set stays in force
/// and the reason is kept for whoever asks.
public final class ProfileLibrary: Sendable {
    /// What a reload did.
    public struct Reload: Sendable, Equatable {
        /// The profiles in force afterwards.
        public var profiles: [AccreditationProfile]
        /// Why nothing was replaced; nil when the new set is in force.
        public var refusal: String?
        public var at: Date
    }

    private struct State {
        var profiles: [AccreditationProfile]
        var lastReload: Reload?
    }

    private let state: Mutex<State>
    private let loader: @Sendable () throws -> [AccreditationProfile]

    /// Starts with profiles already read (and checked) at start; `loader` reads them again.
    public init(profiles: [AccreditationProfile], loader: @escaping @Sendable () throws -> [AccreditationProfile] = { [] }) {
        self.state = Mutex(State(profiles: profiles))
        self.loader = loader
    }

    public var profiles: [AccreditationProfile] { state.withLock { $0.profiles } }

    public func profile(named name: String) -> AccreditationProfile? {
        state.withLock { $0.profiles.first { $0.name == name } }
    }

    /// The outcome of the last reload, if there was one.
    public var lastReload: Reload? { state.withLock { $0.lastReload } }

    /// Reads the profiles again; all or nothing.
    @discardableResult
    public func reload(now: Date = Date()) -> Reload {
        let outcome: Result<[AccreditationProfile], any Error> = Result { try loader() }
        return state.withLock { state in
            let reload: Reload
            switch outcome {
            case .success(let profiles):
                state.profiles = profiles
                reload = Reload(profiles: profiles, refusal: nil, at: now)
            case .failure(let error):
                reload = Reload(profiles: state.profiles, refusal: "\(error)", at: now)
            }
            state.lastReload = reload
            return reload
        }
    }
}
