"""Flask extensions, created unbound and initialised by the app factory."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

import engine.development.models  # noqa: F401  (the training catalogue's table joins Base's metadata)
from engine.models import Base
from web.ratelimit import client_address

# Engine models are plain SQLAlchemy; Flask-SQLAlchemy manages the session and engine for their metadata.
db = SQLAlchemy(metadata=Base.metadata, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Limits per door (login, API) are declared where the door is; see web/ratelimit.py for the storage.
limiter = Limiter(key_func=client_address, headers_enabled=True, strategy="fixed-window")
