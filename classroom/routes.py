from datetime import UTC, datetime
from functools import partial
from importlib.resources import files

from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from classroom import crud
from classroom.board import build_board
from classroom.database import writing
from classroom.deps import (
    ClassDep,
    CurrentLearnerId,
    InstructorClass,
    SessionDep,
    client_address,
    limit,
    limit_client_posts,
)
from classroom.pages import home_page, join_page
from classroom.schemas import BoardOut, ErrorResponse, JoinIn, JoinOut, OutcomesIn, StoredOut
from classroom.writer import OutcomeWriter

STATIC = files("classroom") / "static"
ERRORS = {code: {"model": ErrorResponse} for code in (401, 404, 409, 411, 413, 422, 429)}

router = APIRouter(responses=ERRORS)


@router.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def home() -> str:
    return home_page()


@router.get("/c/{code}", response_class=HTMLResponse, include_in_schema=False)
async def join_instructions(request: Request, classroom: ClassDep) -> str:
    return join_page(classroom.code, str(request.url_for("join_instructions", code=classroom.code)))


@router.post(
    "/c/{code}/learners",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(limit_client_posts)],
)
async def join(request: Request, db: SessionDep, classroom: ClassDep, join_in: JoinIn) -> JoinOut:
    limit(request, "join_limiter", client_address(request))
    async with writing(request, db):
        learner, token = await crud.create_learner(
            db, classroom.id, join_in.name, datetime.now(UTC)
        )
    return JoinOut(class_code=classroom.code, name=learner.name, token=token)


@router.post("/c/{code}/outcomes", dependencies=[Depends(limit_client_posts)])
async def post_outcomes(
    request: Request, learner_id: CurrentLearnerId, body: OutcomesIn
) -> StoredOut:
    writer: OutcomeWriter = request.app.state.writer
    stored = await writer.store(learner_id, body.outcomes, datetime.now(UTC))
    return StoredOut(stored=stored, duplicates=len(body.outcomes) - stored)


@router.get("/c/{code}/board", response_class=FileResponse, include_in_schema=False)
async def board_page(classroom: ClassDep) -> FileResponse:
    # The page holds no data: its script asks /board/data with the key from the link's #fragment,
    # which browsers never send to a server or put in a Referer.
    return FileResponse(str(STATIC / "board.html"), media_type="text/html")


@router.get("/c/{code}/board/data", response_model=BoardOut)
async def board_data(db: SessionDep, classroom: InstructorClass) -> JSONResponse:
    learners, cells = await crud.board_rows(db, classroom.id)
    board = partial(build_board, classroom.code, learners, cells, datetime.now(UTC))
    # A room's board is tens of milliseconds of Python: in a thread, so learners' posts are
    # not queued behind it; and sent as built, not validated a second time on the way out.
    return JSONResponse(await run_in_threadpool(board))
