"""Loading a personal API token for its owner, for the token page and the API alike: another
person's token, or a revoked one, is a ``NotFound`` (as if it did not exist)."""
from ..lookup_errors import NotFound
from .tokens import find_own_token


def own_token(user, token_id):
    """``user``'s active token with this id; ``NotFound`` otherwise."""
    token = find_own_token(user, token_id)
    if token is None:
        raise NotFound()
    return token
