from fastapi import FastAPI, HTTPException, Depends, Security
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel
import uvicorn

app = FastAPI()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")

async def get_current_user(token: str = Security(oauth2_scheme)):
    if token == "fake-super-secret-token":
        return {"username": "admin", "roles": ["admin"]}
    raise HTTPException(status_code=401, detail="Invalid authentication credentials")

def role_check(required_role: str):
    def check(current_user: dict = Depends(get_current_user)):
        if required_role not in current_user.get("roles", []):
            raise HTTPException(status_code=403, detail="Insufficient permissions")
        return current_user
    return check

class UserCreate(BaseModel):
    username: str
    email: str

class UserProfile(BaseModel):
    username: str
    email: str
    internal_id: int  # never meant for clients

@app.post("/users", dependencies=[Depends(role_check("admin"))])
async def create_user(user: UserCreate):
    print(f"Creating user: {user.username} with email: {user.email}")
    return {"message": f"User {user.username} created successfully"}

@app.get("/users/{user_id}", response_model=UserProfile)
async def read_user(user_id: int, current_user: dict = Depends(get_current_user)):
    return {"username": current_user["username"], "email": "admin@example.com", "internal_id": user_id}

if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=8000)
